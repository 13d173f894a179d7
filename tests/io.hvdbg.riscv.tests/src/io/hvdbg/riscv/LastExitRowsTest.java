/*
 * Copyright (c) 2026 hvdbg contributors
 * SPDX-License-Identifier: EPL-2.0
 */
package io.hvdbg.riscv;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;

import io.hvdbg.core.exit.ExitDecoders;
import io.hvdbg.core.exit.VmExit;
import io.hvdbg.core.inspect.LastExitRows;
import io.hvdbg.core.inspect.StateRow;
import io.hvdbg.riscv.exit.RiscvExits;

/** The "last exit" state rows of a RISC-V vCPU: scause, stval, htval and htinst decoded. */
class LastExitRowsTest {
    private static Map<String, StateRow> byName(List<StateRow> rows) {
        return rows.stream().filter(r -> r.group().equals(LastExitRows.GROUP))
                .collect(Collectors.toMap(StateRow::name, Function.identity()));
    }

    private static Map<String, StateRow> rowsOf(VmExit e) {
        return byName(ExitDecoders.forSource(e.reason().source()).lastExitRows(e));
    }

    @Test
    void aLoadGuestPageFaultShowsHtvalAsTheGuestPhysicalAddressAndTheTransformedLoad() {
        RiscvExits.init();
        // lw a0, 0(a1) transformed (rs1/offset cleared): funct3 2, rd x10, opcode LOAD
        long htinst = 2 << 12 | 10 << 7 | 0x03;
        Map<String, StateRow> r = rowsOf(new VmExit(5, 0, 10, 0, RiscvExits.LOAD_GUEST_PAGE_FAULT, 0x8000_0100L,
                0xFFFF_FFC0_1000_0004L, htinst, 0x1000_0004L));
        assertEquals(21, r.get("scause").value());
        assertEquals("exception 21: load guest-page fault", r.get("scause").decoded());
        assertEquals("guest-virtual address 0xffffffc010000004", r.get("stval").decoded());
        assertEquals(0x1000_0004L >>> 2, r.get("htval").value());
        assertEquals("guest-physical address >> 2 (gpa 0x10000004)", r.get("htval").decoded());
        assertEquals("transformed load word to x10", r.get("htinst").decoded());
    }

    @Test
    void aWfiAndAnSbiCallAndATimerInterrupt() {
        RiscvExits.init();
        Map<String, StateRow> wfi = rowsOf(new VmExit(1, 0, 1, 0, RiscvExits.WFI, 0x100, 0x10500073L, 0, 0));
        assertEquals(22, wfi.get("scause").value());
        assertEquals(22, wfi.get("reason").value(), "the native scause, not the registry code that tells WFI apart");
        assertEquals("exception 22: virtual instruction", wfi.get("scause").decoded());
        assertEquals("instruction bits 0x10500073 (wfi)", wfi.get("stval").decoded());
        assertEquals("0: written only for guest-page faults", wfi.get("htval").decoded());
        assertEquals("0: no transformed instruction", wfi.get("htinst").decoded());

        Map<String, StateRow> ecall = rowsOf(new VmExit(2, 0, 2, 0, RiscvExits.VS_ECALL, 0x104, 0, 0, 0x4442434EL));
        assertEquals("exception 10: environment call from VS-mode", ecall.get("scause").decoded());
        assertTrue(ecall.get("stval").decoded().contains("SBI ext DBCN fid 0"), ecall.toString());

        Map<String, StateRow> timer = rowsOf(new VmExit(3, 0, 3, 0, RiscvExits.TIMER_INTERRUPT, 0x108, 0, 0x3000, 0));
        assertEquals(1L << 63 | 5, timer.get("scause").value());
        assertEquals("interrupt 5: supervisor timer", timer.get("scause").decoded());
        assertEquals("pseudoinstruction: implicit 64-bit read of a VS-stage page table", timer.get("htinst").decoded());
    }

    @Test
    void theDemoGuestsLastExitIsInItsSystemState() throws Exception {
        GuestRun run = GuestRun.run("demo.elf");
        Map<String, StateRow> r = byName(run.vm.systemState(0));
        for (String name : List.of("reason", "scause", "stval", "htval", "htinst", "pc")) {
            assertTrue(r.containsKey(name), name + " in " + r);
        }
        assertTrue(r.get("reason").decoded().contains("RISC-V"), r.toString());
        assertTrue(r.get("scause").decoded().matches("(exception|interrupt) \\d+: .+"), r.toString());
    }
}
