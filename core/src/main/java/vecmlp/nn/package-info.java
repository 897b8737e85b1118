/**
 * The network: {@link vecmlp.nn.Mlp} (dense layers, flat parameters, forward pass, backpropagation as
 * matrix multiplication, input Jacobians), its {@link vecmlp.nn.Workspace}, {@link vecmlp.nn.Loss},
 * {@link vecmlp.nn.Init} and the seeded {@link vecmlp.nn.Rng}. Everything numeric goes through
 * {@link vecmlp.kernel.Kernels}; nothing here knows whether SIMD runs.
 */
package vecmlp.nn;
