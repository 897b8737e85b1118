/**
 * Update rules over one flat parameter array ({@link vecmlp.optim.Optimizer}: SGD, momentum, Nesterov,
 * Adam, AdamW, weight decay, clipping), {@link vecmlp.optim.LearningRateSchedule}s and
 * {@link vecmlp.optim.GradientClipping}, each step a single kernel pass.
 */
package vecmlp.optim;
