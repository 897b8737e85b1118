/**
 * Calculus checks: {@link vecmlp.check.GradientCheck} (backpropagation against float64 central differences),
 * {@link vecmlp.check.Numerical} gradients and Jacobians of plain functions, the minimal
 * {@link vecmlp.check.GradientDescent} loop, and {@link vecmlp.check.NetworkJacobian}.
 */
package vecmlp.check;
