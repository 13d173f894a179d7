/*
 * Copyright (c) 2026 hvdbg contributors
 * SPDX-License-Identifier: EPL-2.0
 */
package io.hvdbg.x86;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

import io.hvdbg.core.StopReason;
import io.hvdbg.core.exit.ExitCategory;
import io.hvdbg.core.exit.ExitSource;
import io.hvdbg.core.vcpu.GuestStateProtectedException;
import io.hvdbg.x86.exit.TdxExits;
import io.hvdbg.x86.exit.X86ExitKind;

/**
 * The TD guest (test-td) under --tdx: its CPUID, HLT, I/O, MSRs and MMIO go through #VE and
 * TDG.VP.VMCALL, so the host sees TDCALL exits with the sub-function and none of the VMX
 * reasons; without the DEBUG attribute the debugger cannot read its registers or memory.
 */
class TdxGuestTest {
    private static GuestRun run(String debug) throws Exception {
        var c = GuestRun.config("test-td.elf").withTdx(true);
        if (debug != null) {
            c = c.withOption("tdx-debug", debug);
        }
        GuestRun r = GuestRun.run(c);
        assertEquals(StopReason.SHUTDOWN, r.end.reason(), r.describe());
        assertEquals(1, r.end.exitStatus(), r.describe());
        assertTrue(r.console().contains("td: PASS"), r.describe());
        return r;
    }

    private static long count(GuestRun r, long subFunction) {
        return r.vm.statistics().count(-1, TdxExits.reason(subFunction));
    }

    @Test
    void exitsAreTdvmcallsWithTheSubFunction() throws Exception {
        GuestRun r = run(null);
        assertTrue(r.console().contains("td attributes 0x0"), r.describe());
        assertEquals(1, count(r, TdxExits.CPUID));
        assertEquals(1, count(r, TdxExits.HLT));
        assertEquals(2, count(r, TdxExits.RDMSR));
        assertEquals(1, count(r, TdxExits.WRMSR));
        assertEquals(2, count(r, TdxExits.MMIO));
        assertEquals(1, count(r, TdxExits.MAP_GPA));
        assertEquals(1, count(r, 0x12345));
        assertTrue(count(r, TdxExits.IO) > 100, "every console byte and LSR poll is a TDVMCALL");
        for (X86ExitKind k : new X86ExitKind[] {X86ExitKind.CPUID, X86ExitKind.HLT, X86ExitKind.IO, X86ExitKind.MSR_READ,
            X86ExitKind.MSR_WRITE, X86ExitKind.EPT_VIOLATION, X86ExitKind.CR_ACCESS}) {
            assertEquals(0, r.vm.statistics().count(-1, k.vmxReason()), k + " never reaches the host from a TD");
        }
        var reason = TdxExits.reason(TdxExits.CPUID);
        assertEquals(ExitSource.TDX, reason.source());
        assertEquals(ExitCategory.TDCALL, reason.category());
        assertEquals("TDCALL TDG.VP.VMCALL<Instruction.CPUID>", reason.name());
        assertEquals("TDCALL TDG.VP.VMCALL<MapGPA>", TdxExits.reason(0x10001).name());
        // the trace holds the sub-function as the qualification
        var t = r.vm.trace();
        boolean sawMapGpa = false;
        for (long s = t.firstSeq(); s < t.nextSeq(); s++) {
            var e = t.get(s);
            if (e.reason() == TdxExits.reason(TdxExits.MAP_GPA)) {
                assertEquals(0x10001, e.qualification());
                sawMapGpa = true;
            }
        }
        assertTrue(sawMapGpa);
        var td = r.vm.x86(0).tdxModule();
        // every TDVMCALL but MapGPA and the unknown one forwards a #VE
        long forwarded = count(r, TdxExits.IO) + 1 + 1 + 2 + 1 + 2;
        assertEquals(forwarded, td.virtualizationExceptions());
        assertTrue(td.isShared(0x100000L) == false);
    }

    @Test
    void registersAndMemoryOfANonDebugTdAreRefused() throws Exception {
        GuestRun r = run(null);
        var v = r.vm.x86(0);
        var e = assertThrows(GuestStateProtectedException.class, () -> v.readRegister(16));
        assertTrue(e.getMessage().contains("TDX trust domain without the DEBUG attribute")
                && e.getMessage().contains("tdx-debug=on"), e.getMessage());
        assertThrows(GuestStateProtectedException.class, () -> v.writeRegister(0, 1));
        assertThrows(GuestStateProtectedException.class, () -> v.readRegisterBytes(40));
        var m = assertThrows(GuestStateProtectedException.class, () -> v.readVirtual(0x100000, new byte[4], 0, 4));
        assertTrue(m.getMessage().contains("private memory"), m.getMessage());
    }

    @Test
    void aDebugTdCanBeInspected() throws Exception {
        GuestRun r = run("on");
        assertTrue(r.console().contains("td attributes 0x1"), r.describe());
        var v = r.vm.x86(0);
        assertEquals(v.rip, v.readRegister(16));
        byte[] b = new byte[4];
        assertEquals(4, v.readVirtual(0x100000, b, 0, 4));
    }

    @Test
    void mapGpaConvertsBetweenPrivateAndShared() {
        var td = new io.hvdbg.x86.cpu.TdxModule(false, 0, 1);
        assertTrue(!td.isShared(0x5000));
        td.mapGpa(0x5000 | io.hvdbg.x86.cpu.TdxModule.SHARED_BIT, 0x2000);
        assertTrue(td.isShared(0x5000) && td.isShared(0x6fff) && !td.isShared(0x7000));
        assertTrue(td.isShared(0x5000 | io.hvdbg.x86.cpu.TdxModule.SHARED_BIT));
        td.mapGpa(0x5000, 0x2000);
        assertTrue(!td.isShared(0x5000));
    }

    @Test
    void tdxOptionsAreChecked() throws Exception {
        var c = GuestRun.config("test-td.elf").withTdx(true).withOption("tdx-debug", "yes");
        var e = assertThrows(IllegalArgumentException.class, () -> new X86MachineFactory().create(c));
        assertEquals("tdx-debug: 'yes' is not on or off", e.getMessage());
        var amd = GuestRun.config("test-td.elf").withTdx(true).withVendor("amd");
        e = assertThrows(IllegalArgumentException.class, () -> new X86MachineFactory().create(amd));
        assertTrue(e.getMessage().contains("--vendor intel"), e.getMessage());
    }
}
