package vecmlp.spark;

import java.io.Serializable;

/** Test hook: called at the start of every training task; may throw to make the task fail. */
@FunctionalInterface
interface FaultInjector extends Serializable {

    /** Before the task of {@code partition} (attempt {@code attempt}, from 0) of training round {@code round}. */
    void beforeTask(int partition, int attempt, long round);
}
