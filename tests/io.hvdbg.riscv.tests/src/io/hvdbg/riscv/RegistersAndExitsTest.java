/*
 * Copyright (c) 2026 hvdbg contributors
 * SPDX-License-Identifier: EPL-2.0
 */
package io.hvdbg.riscv;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;

import io.hvdbg.core.exit.ExitAttribute;
import io.hvdbg.core.exit.ExitCategory;
import io.hvdbg.core.exit.NativeEncoding;
import io.hvdbg.core.exit.VmExit;
import io.hvdbg.riscv.exit.RiscvExits;

/** gdb-multiarch register numbering, and exits recorded with their native scause/htval/htinst. */
class RegistersAndExitsTest {
    @Test
    void gdbRegisterNumbers() throws Exception {
        RiscvMachine m = (RiscvMachine) new RiscvMachineFactory().create(GuestRun.config("demo.elf"));
        RiscvVcpu v = m.hart(0);
        assertEquals("a0", v.registerByNumber(10).name());
        assertEquals("pc", v.registerByNumber(32).name());
        assertEquals("ft0", v.registerByNumber(33).name());
        assertEquals("ft11", v.registerByNumber(64).name());
        assertEquals("fflags", v.registerByNumber(66).name());
        assertEquals("frm", v.registerByNumber(67).name());
        assertEquals("fcsr", v.registerByNumber(68).name());
        assertEquals("sstatus", v.registerByNumber(65 + 0x100).name());
        assertEquals("satp", v.registerByNumber(65 + 0x180).name());
        assertEquals("hgatp", v.registerByNumber(65 + 0x680).name());
        assertEquals("priv", v.registerByNumber(65 + 0x1000).name());
        assertEquals(m.kernel().entry(), v.readRegister(32));
        assertEquals(m.fdtAddress(), v.readRegister("a1"));
        v.writeRegister(5, 0x1234);
        assertEquals(0x1234, v.readRegister("t0"));
        v.writeRegister(0, 99);
        assertEquals(0, v.readRegister("zero"));
        assertEquals(1, v.readRegister(65 + 0x1000), "boots in VS-mode (priv S)");
        assertEquals(m.gstage().hgatp(), v.readRegister("hgatp"));
        assertEquals(8L, v.readRegister("hgatp") >>> 60, "Sv39x4 G-stage");
    }

    @Test
    void exitsCarryNativeEncodings() throws Exception {
        GuestRun r = GuestRun.run("demo.elf");
        List<VmExit> all = r.vm.trace().last((int) r.vm.trace().size());
        VmExit uartStore = null;
        VmExit wfi = null;
        VmExit unassigned = null;
        for (VmExit e : all) {
            if (e.reason() == RiscvExits.STORE_GUEST_PAGE_FAULT && e.attribute(ExitAttribute.GPA) == 0x10000000L
                    && uartStore == null) {
                uartStore = e;
            }
            if (e.reason() == RiscvExits.WFI) {
                wfi = e;
            }
            if (e.reason() == RiscvExits.LOAD_GUEST_PAGE_FAULT && e.attribute(ExitAttribute.GPA) == 0x30000000L) {
                unassigned = e;
            }
        }
        assertNotNull(uartStore, "a UART THR store");
        assertEquals(ExitCategory.MMIO, uartStore.category());
        NativeEncoding n = uartStore.encoding(uartStore.reason().source());
        assertEquals(23, n.code(), "scause: store guest-page fault");
        assertEquals(0x10000000L >>> 2, n.info1(), "htval = gpa >> 2");
        assertEquals(0x23, (n.info2() | 2) & 0x7F, "htinst: a transformed store (opcode STORE)");
        assertEquals(0, (n.info2() >>> 12) & 7, "htinst: sb");
        assertNotNull(wfi);
        assertEquals(ExitCategory.HALT, wfi.category(), "WFI shares the HALT category with x86 HLT");
        assertEquals(22, wfi.encoding(wfi.reason().source()).code(), "native scause: virtual instruction");
        assertEquals(0x10500073L, wfi.qualification(), "stval = the wfi instruction");
        assertTrue(wfi.describe().contains("wfi"), wfi.describe());
        assertNotNull(unassigned, "the load from an unassigned gpa is an exit too");
        assertEquals(0x3, (unassigned.info2() | 2) & 0x7F, "htinst: a transformed load (bit 1 clear: compressed)");
        assertEquals(2, (unassigned.info2() >>> 12) & 7, "htinst: lw");
    }
}
