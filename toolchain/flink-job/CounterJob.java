/*
 * The test job of pulumi-flink's end-to-end tests on real Flink (issue 17).
 *
 * An endless, throttled sequence of numbers keyed into four counters kept
 * in Flink keyed state. The gauge "highestCount" of the "counts" operator
 * shows the highest counter value a subtask has reached since it started:
 * after a restore from a checkpoint or savepoint it continues from the
 * restored counts, after a start from empty state it starts again near 0.
 * Compiled by toolchain/flink.sh against each pinned Flink version with only
 * APIs that Flink 1.18 to 2.x share.
 */
package dev.pulumiflink.jobs;

import org.apache.flink.api.common.functions.FilterFunction;
import org.apache.flink.api.common.functions.MapFunction;
import org.apache.flink.api.common.functions.RichMapFunction;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.java.functions.KeySelector;
import org.apache.flink.metrics.Gauge;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

public final class CounterJob {

    /** Records per second per subtask: enough to checkpoint, little CPU. */
    private static final long PAUSE_MILLIS = 20;

    public static void main(String[] args) throws Exception {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.fromSequence(0, Long.MAX_VALUE)
                .uid("numbers")
                .name("numbers")
                // Chained to the source: slows it down without queueing
                // records in front of the checkpoint barriers.
                .map(new Throttle())
                .uid("throttle")
                .name("throttle")
                .keyBy(new ByRemainder())
                .map(new Count())
                .uid("counts")
                .name("counts")
                .filter(new Nothing())
                .uid("nothing")
                .name("nothing")
                .print();
        env.execute("pulumi-flink counter job");
    }

    /** Lets a number through every {@link #PAUSE_MILLIS} ms. */
    public static final class Throttle implements MapFunction<Long, Long> {
        @Override
        public Long map(Long number) throws Exception {
            Thread.sleep(PAUSE_MILLIS);
            return number;
        }
    }

    /** Four keys. */
    public static final class ByRemainder implements KeySelector<Long, Long> {
        @Override
        public Long getKey(Long number) {
            return number % 4;
        }
    }

    /** Counts the records of each key in keyed state. */
    public static final class Count extends RichMapFunction<Long, Long> {
        private transient ValueState<Long> count;
        private transient volatile long highest;

        @Override
        public Long map(Long number) throws Exception {
            if (count == null) {
                // Here rather than in open(): its signature differs between 1.x and 2.x.
                count = getRuntimeContext().getState(new ValueStateDescriptor<>("count", Long.class));
                getRuntimeContext().getMetricGroup().gauge("highestCount", (Gauge<Long>) () -> highest);
            }
            long next = (count.value() == null ? 0L : count.value()) + 1;
            count.update(next);
            highest = Math.max(highest, next);
            return next;
        }
    }

    /** Drops everything: the job's output is its state and its gauge. */
    public static final class Nothing implements FilterFunction<Long> {
        @Override
        public boolean filter(Long count) {
            return false;
        }
    }
}
