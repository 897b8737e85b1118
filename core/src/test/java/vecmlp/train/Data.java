package vecmlp.train;

import vecmlp.nn.Rng;

/** Synthetic data for training tests: Gaussian blobs around class centres. */
final class Data {
    private Data() {
    }

    static Dataset blobs(long seed, int rows, int cols, int classes, double spread) {
        Rng rng = new Rng(seed);
        float[][] centres = new float[classes][cols];
        for (float[] c : centres) {
            for (int j = 0; j < cols; j++) {
                c[j] = (float) rng.nextGaussian();
            }
        }
        float[] x = new float[rows * cols];
        int[] y = new int[rows];
        for (int i = 0; i < rows; i++) {
            y[i] = rng.nextInt(classes);
            for (int j = 0; j < cols; j++) {
                x[i * cols + j] = centres[y[i]][j] + (float) (spread * rng.nextGaussian());
            }
        }
        return Dataset.ofClasses(x, rows, cols, y, classes);
    }
}
