/*
 * Copyright (c) 2026 hvdbg contributors
 * SPDX-License-Identifier: EPL-2.0
 */
package io.hvdbg.x86;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;

import io.hvdbg.core.exit.ExitDecoders;
import io.hvdbg.core.exit.ExitSource;
import io.hvdbg.core.exit.VmExit;
import io.hvdbg.core.inspect.LastExitRows;
import io.hvdbg.core.inspect.StateRow;
import io.hvdbg.x86.exit.X86ExitEncoding;
import io.hvdbg.x86.exit.X86ExitKind;

/**
 * The "last exit" state rows: Intel's basic exit reason and qualification next to AMD's exit
 * code and EXITINFO1/2, each decoded from its own manual's layout, whichever vendor ran.
 */
class LastExitRowsTest {
    private static Map<String, StateRow> byName(List<StateRow> rows) {
        return rows.stream().filter(r -> r.group().equals(LastExitRows.GROUP))
                .collect(Collectors.toMap(StateRow::name, Function.identity()));
    }

    private static Map<String, StateRow> rowsOf(VmExit e) {
        return byName(ExitDecoders.forSource(e.reason().source()).lastExitRows(e));
    }

    @Test
    void anIntelOutShowsItsQualificationAndTheSvmIoioEncoding() {
        X86ExitKind.registerAll();
        long q = X86ExitEncoding.vmxIo(0x3F8, 1, false, false, false, false);
        long ctx = X86ExitEncoding.ioContext(1, 8, 3, false);
        Map<String, StateRow> r = rowsOf(new VmExit(7, 0, 100, 0, X86ExitKind.IO.vmxReason(), 0x1000, q, 0, ctx));
        assertEquals(30, r.get("vmx exit reason").value());
        assertTrue(r.get("vmx exit reason").decoded().startsWith("EXIT_REASON_IO_INSTRUCTION (basic exit reason 30, native"),
                r.toString());
        assertEquals(q, r.get("vmx qualification").value());
        assertEquals("OUT port 0x3f8, 1 byte, port in DX", r.get("vmx qualification").decoded());
        assertEquals(0x7B, r.get("svm exit code").value());
        assertTrue(r.get("svm exit code").decoded().startsWith("VMEXIT_IOIO (exit code 0x7b, as AMD SVM reports it"));
        // APM Figure 15-2: port 31:16, SZ8 bit 4, A64 bit 9; OUT: type bit 0 clear
        assertEquals(0x03F8_0000L | 1 << 4 | 1 << 9 | 3L << 10, r.get("svm exitinfo1").value());
        assertEquals("OUT port 0x3f8, 8-bit data, 64-bit address", r.get("svm exitinfo1").decoded());
        assertEquals(0x1001, r.get("svm exitinfo2").value());
        assertEquals("next rip 0x1001", r.get("svm exitinfo2").decoded());
        assertEquals(30, r.get("reason").value());
        assertTrue(r.get("reason").decoded().contains("Intel VMX, seq 7"), r.get("reason").toString());
    }

    @Test
    void anAmdNestedPageFaultShowsTheEptViolationQualification() {
        X86ExitKind.registerAll();
        long info1 = X86ExitEncoding.svmNpf(true, false, false);
        Map<String, StateRow> r = rowsOf(new VmExit(3, 1, 100, 0, X86ExitKind.EPT_VIOLATION.svmReason(), 0x2000, info1,
                0xFEE0_0030L, 0));
        assertEquals(0x400, r.get("svm exit code").value());
        assertTrue(r.get("svm exit code").decoded().contains("native"));
        assertEquals("not present, write, supervisor, final guest-physical address", r.get("svm exitinfo1").decoded());
        assertEquals("guest-physical address 0xfee00030", r.get("svm exitinfo2").decoded());
        assertEquals(48, r.get("vmx exit reason").value());
        assertTrue(r.get("vmx exit reason").decoded().contains("as Intel VMX reports it"));
        // SDM Table 28-7: bit 1 write, bit 7 linear address valid, bit 8 final translation
        assertEquals(2 | 1 << 7 | 1 << 8, r.get("vmx qualification").value());
        assertEquals("write, not mapped in EPT, linear address valid, final translation",
                r.get("vmx qualification").decoded());
        assertEquals(0xFEE0_0030L, r.get("vmx guest-physical").value());
    }

    @Test
    void aCrWriteUsesTheSvmCrCodeAndDecodeAssist() {
        X86ExitKind.registerAll();
        long q = X86ExitEncoding.vmxCr(4, X86ExitEncoding.CR_MOV_TO, 0, 0);
        Map<String, StateRow> r = rowsOf(new VmExit(1, 0, 1, 0, X86ExitKind.CR_ACCESS.vmxReason(), 0x10, q, 0, 0));
        assertEquals("MOV to CR4 from rax", r.get("vmx qualification").decoded());
        assertEquals(0x14, r.get("svm exit code").value());
        assertTrue(r.get("svm exit code").decoded().startsWith("VMEXIT_CR4_WRITE"));
        assertEquals("MOV CR with rax", r.get("svm exitinfo1").decoded());
    }

    @Test
    void theDemoGuestsLastExitHasBothEncodingsOnIntelAndAmd() throws Exception {
        for (String vendor : List.of("intel", "amd")) {
            GuestRun run = GuestRun.run(GuestRun.config("demo.elf").withVendor(vendor));
            assertEquals(1, run.end.exitStatus(), run.describe());
            Map<String, StateRow> r = byName(run.vm.systemState(0));
            ExitSource own = vendor.equals("amd") ? ExitSource.SVM : ExitSource.VMX;
            StateRow reason = r.get("reason");
            assertTrue(reason.decoded().contains(own.displayName()), vendor + ": " + reason);
            assertTrue(r.get(own == ExitSource.VMX ? "vmx exit reason" : "svm exit code").decoded().contains("native"),
                    vendor + ": " + r);
            // the demo ends by writing its status to the isa-debug-exit port: an OUT on both vendors
            assertEquals(30, r.get("vmx exit reason").value(), vendor + ": " + r);
            assertTrue(r.get("vmx qualification").decoded().startsWith("OUT port 0x"), vendor + ": " + r);
            assertEquals(0x7B, r.get("svm exit code").value(), vendor + ": " + r);
            assertTrue(r.get("svm exitinfo1").decoded().startsWith("OUT port 0x"), vendor + ": " + r);
            assertEquals(r.get("vmx qualification").decoded().split(",")[0], r.get("svm exitinfo1").decoded().split(",")[0]);
        }
    }
}
