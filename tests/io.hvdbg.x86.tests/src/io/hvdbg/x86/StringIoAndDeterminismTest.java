/*
 * Copyright (c) 2026 hvdbg contributors
 * SPDX-License-Identifier: EPL-2.0
 */
package io.hvdbg.x86;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;

import io.hvdbg.core.exit.ExitAttribute;
import io.hvdbg.core.exit.ExitSource;
import io.hvdbg.core.exit.VmExit;
import io.hvdbg.x86.exit.X86ExitEncoding;
import io.hvdbg.x86.exit.X86ExitKind;

/**
 * REP INSB/OUTSB exit once per element with the string and REP bits set in both vendors'
 * encodings; and a run repeats exactly: the same guest gives the same exits at the same guest
 * times, also with several vCPUs.
 */
class StringIoAndDeterminismTest {
    @Test
    void repStringIoCarriesStringAndRepBits() throws Exception {
        GuestRun intel = GuestRun.run(GuestRun.config("test-sys.elf"));
        List<VmExit> ins = intel.vm.trace().last(1_000_000).stream()
                .filter(e -> e.reason() == X86ExitKind.IO.vmxReason() && e.attribute(ExitAttribute.PORT) == 0x511
                        && (e.qualification() & X86ExitEncoding.VMX_IO_STRING) != 0).toList();
        assertEquals(4, ins.size(), "one exit per REP INSB element");
        VmExit first = ins.get(0);
        long q = first.qualification();
        assertTrue((q & X86ExitEncoding.VMX_IO_IN) != 0 && (q & X86ExitEncoding.VMX_IO_REP) != 0, Long.toHexString(q));
        assertEquals(0, q & X86ExitEncoding.VMX_IO_IMMEDIATE);
        assertEquals("REP INS port 0x511, 1 byte", first.describe());
        // the AMD view: IOIO with TYPE=IN, STR, REP, SZ8, A64, segment ES (0), next RIP in EXITINFO2
        var svm = first.encoding(ExitSource.SVM);
        assertEquals(0x0511_0000L | 1 | 4 | 8 | 0x10 | 0x200, svm.info1());
        assertEquals(first.pc() + 2, svm.info2(), "REP INSB is two bytes long");

        GuestRun amd = GuestRun.run(GuestRun.config("test-sys.elf").withVendor("amd"));
        long outs = amd.vm.trace().last(1_000_000).stream()
                .filter(e -> e.reason() == X86ExitKind.IO.svmReason() && (e.qualification() & 4) != 0
                        && (e.qualification() & 1) == 0 && e.attribute(ExitAttribute.PORT) == 0x3f8).count();
        assertEquals("string I/O ok\r\n".length(), outs);
    }

    @Test
    void runsRepeatExactly() throws Exception {
        for (String image : new String[] {"demo.elf", "test-smp.elf"}) {
            GuestRun a = GuestRun.run(GuestRun.config(image).withSmp(3));
            GuestRun b = GuestRun.run(GuestRun.config(image).withSmp(3));
            List<VmExit> ea = a.vm.trace().last(1_000_000);
            List<VmExit> eb = b.vm.trace().last(1_000_000);
            assertEquals(ea.size(), eb.size(), image);
            for (int i = 0; i < ea.size(); i++) {
                VmExit x = ea.get(i), y = eb.get(i);
                assertEquals(x.vcpu() + " " + x.time() + " " + x.reason().name() + " " + x.pc() + " " + x.qualification(),
                        y.vcpu() + " " + y.time() + " " + y.reason().name() + " " + y.pc() + " " + y.qualification(),
                        image + " exit " + i);
            }
            assertEquals(a.console(), b.console());
        }
    }
}
