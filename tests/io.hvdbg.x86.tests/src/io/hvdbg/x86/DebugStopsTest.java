/*
 * Copyright (c) 2026 hvdbg contributors
 * SPDX-License-Identifier: EPL-2.0
 */
package io.hvdbg.x86;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

import io.hvdbg.core.StopEvent;
import io.hvdbg.core.StopReason;
import io.hvdbg.core.debug.WatchKind;
import io.hvdbg.core.debug.Watchpoint;
import io.hvdbg.core.loader.ElfImage;
import io.hvdbg.guests.GuestImages;

/** Breakpoints, single steps and watchpoints stop the x86 core where a debugger expects. */
class DebugStopsTest {
    @Test
    void breakpointStepAndWatchpoint() throws Exception {
        byte[] image = GuestImages.read("x86_64/test-sys-elf64.elf");
        ElfImage elf = ElfImage.parse("test-sys-elf64.elf", image);
        long main = elf.symbol("main").value();
        long checks = elf.symbol("checks").value();
        X86Machine vm = (X86Machine) new X86MachineFactory().create(GuestRun.config("test-sys-elf64.elf"));
        vm.breakpoints().add(main);
        StopEvent e = vm.runUntilStop(10_000);
        assertNotNull(e);
        assertEquals(StopReason.BREAKPOINT, e.reason(), String.valueOf(e.message()));
        assertEquals(main, vm.x86(0).pc());
        long before = vm.x86(0).instructions();
        e = vm.stepAndWait(0, 5_000);
        assertEquals(StopReason.STEP, e.reason());
        assertEquals(before + 1, vm.x86(0).instructions());
        assertTrue(vm.x86(0).pc() != main);
        vm.breakpoints().remove(main);
        // the first CHECK increments "checks": a write watchpoint stops right after that store
        vm.watchpoints().add(new Watchpoint(checks, 4, WatchKind.WRITE));
        e = vm.runUntilStop(10_000);
        assertNotNull(e);
        assertEquals(StopReason.WATCHPOINT, e.reason(), String.valueOf(e.message()));
        byte[] b = new byte[4];
        assertEquals(4, vm.x86(0).readVirtual(checks, b, 0, 4));
        assertEquals(1, b[0]);
        vm.terminate();
    }
}
