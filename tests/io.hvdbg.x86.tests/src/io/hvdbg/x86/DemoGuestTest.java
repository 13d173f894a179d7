/*
 * Copyright (c) 2026 hvdbg contributors
 * SPDX-License-Identifier: EPL-2.0
 */
package io.hvdbg.x86;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import io.hvdbg.core.StopReason;
import io.hvdbg.core.exit.ExitCategory;
import io.hvdbg.core.exit.ExitReason;
import io.hvdbg.core.exit.ExitReasons;
import io.hvdbg.core.exit.ExitSource;
import io.hvdbg.core.exit.ExitStatistics;
import io.hvdbg.core.exit.VmExit;

/**
 * The demo guest (images/x86_64/demo.elf: multiboot kernel that enters long mode itself) runs
 * to a passing debug-exit on both vendors, and its intercepts appear as exits of every kind
 * it exercises, in the vendor's own encoding.
 */
class DemoGuestTest {
    @ParameterizedTest
    @ValueSource(strings = {"intel", "amd"})
    void demoPassesAndTakesEveryKindOfExit(String vendor) throws Exception {
        GuestRun r = GuestRun.run(GuestRun.config("demo.elf").withVendor(vendor).withAppend("hello x86"));
        assertEquals(StopReason.SHUTDOWN, r.end.reason(), r.describe());
        assertEquals(1, r.end.exitStatus(), r.describe());
        assertTrue(r.console().contains("demo: PASS 13 checks"), r.describe());
        assertTrue(r.console().contains("command line: ") && r.console().contains(" hello x86"), r.describe());
        assertTrue(r.console().contains(vendor.equals("amd") ? "AuthenticAMD" : "GenuineIntel"), r.describe());
        ExitSource native_ = vendor.equals("amd") ? ExitSource.SVM : ExitSource.VMX;
        ExitStatistics stats = r.vm.statistics();
        for (ExitCategory c : new ExitCategory[] {ExitCategory.CPUID, ExitCategory.IO, ExitCategory.MSR,
            ExitCategory.CR_ACCESS, ExitCategory.TLB_INVAL, ExitCategory.HALT, ExitCategory.NESTED_PAGE_FAULT,
            ExitCategory.EXTERNAL_INTERRUPT}) {
            long n = 0;
            for (ExitReason reason : ExitReasons.of(native_)) {
                if (reason.category() == c) {
                    n += stats.count(-1, reason);
                }
            }
            assertTrue(n > 0, "no " + c + " exit in " + vendor + " statistics\n" + stats.format(-1));
        }
        for (ExitReason reason : ExitReasons.of(native_ == ExitSource.VMX ? ExitSource.SVM : ExitSource.VMX)) {
            assertEquals(0, stats.count(-1, reason), "foreign-vendor reason counted: " + reason);
        }
        // every recorded exit converts to the other vendor's encoding with the same category
        for (VmExit e : r.vm.trace().last(200)) {
            var other = e.encoding(native_ == ExitSource.VMX ? ExitSource.SVM : ExitSource.VMX);
            assertTrue(other != null, "no other-vendor encoding for " + e);
            assertEquals(e.category(), ExitReasons.find(other.source(), other.code()).category(), e.toString());
        }
    }
}
