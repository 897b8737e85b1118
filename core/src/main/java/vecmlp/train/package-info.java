/**
 * Data and the training loop: {@link vecmlp.train.Dataset}, {@link vecmlp.train.Trainer} (mini-batches,
 * validation, early stopping), {@link vecmlp.train.TrainingListener} with its events, and
 * {@link vecmlp.train.History}.
 */
package vecmlp.train;
