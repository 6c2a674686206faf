package dev.parley.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ProcessSamplerTest {

    @Test
    void given_jstat_gc_output_when_read_then_the_used_spaces_are_summed() {
        String output = " S0C    S1C    S0U    S1U      EC       EU        OC         OU       MC     MU    CCSC   CCSU"
                + "   YGC     YGCT    FGC    FGCT     CGC    CGCT     GCT   \n"
                + " 0.0   0.0    0.0    10.5   1024.0     20.0   4096.0     1993.5  512.0  400.0  64.0   50.0"
                + "      3     0.010     1     0.020     0     0.000    0.030\n";

        assertThat(ProcessSampler.heapUsedBytes(output)).isEqualTo((long) ((10.5 + 20.0 + 1993.5) * 1024));
        assertThat(ProcessSampler.heapUsedBytes("12345: not found")).isEqualTo(-1);
    }

    @Test
    void given_this_machine_when_its_cpus_are_counted_then_there_are_at_least_those_the_jvm_may_use() {
        assertThat(ProcessSampler.machineCpus()).isGreaterThanOrEqualTo(Runtime.getRuntime().availableProcessors());
    }
}
