package dev.parley.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.management.HotSpotDiagnosticMXBean;
import com.sun.management.VMOption;
import java.lang.management.ManagementFactory;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class HeapPolicyTest {
    private final HotSpotDiagnosticMXBean hotspot = ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class);

    @Test
    void given_this_jvm_when_applying_the_heap_policy_then_each_default_flag_takes_the_lean_value_and_a_chosen_one_stays() {
        Map<String, VMOption> before = new HashMap<>();
        HeapPolicy.LEAN.keySet().forEach(flag -> before.put(flag, hotspot.getVMOption(flag)));

        HeapPolicy.apply();

        HeapPolicy.LEAN.forEach((flag, lean) -> {
            VMOption was = before.get(flag);
            VMOption now = hotspot.getVMOption(flag);
            if (was.getOrigin() == VMOption.Origin.DEFAULT) {
                assertThat(now.getValue()).as(flag).isEqualTo(lean);
                assertThat(now.getOrigin()).as(flag).isEqualTo(VMOption.Origin.MANAGEMENT);
            } else {
                assertThat(now.getValue()).as(flag).isEqualTo(was.getValue());
            }
        });
    }
}
