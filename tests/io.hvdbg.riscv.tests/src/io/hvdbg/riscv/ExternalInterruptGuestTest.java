/*
 * Copyright (c) 2026 hvdbg contributors
 * SPDX-License-Identifier: EPL-2.0
 */
package io.hvdbg.riscv;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

import io.hvdbg.core.StopEvent;
import io.hvdbg.core.StopReason;
import io.hvdbg.core.VirtualMachine;

/** Host input raises the UART interrupt; the PLIC injects it into VS-mode as an external interrupt. */
class ExternalInterruptGuestTest {
    @Test
    void uartReceiveInterruptThroughPlic() throws Exception {
        VirtualMachine vm = new RiscvMachineFactory().create(GuestRun.config("test-plic.elf"));
        vm.console().offerInput("hello".getBytes());
        vm.setStopWhenIdleForever(true);
        vm.start();
        StopEvent e = vm.runUntilStop(20_000);
        vm.terminate();
        assertNotNull(e, vm.console().transcript());
        assertEquals(StopReason.SHUTDOWN, e.reason(), e.message() + "\n" + vm.console().transcript());
        assertEquals(0, e.exitStatus(), vm.console().transcript());
        assertTrue(vm.console().transcript().contains("got: hello\n"), vm.console().transcript());
    }

    @Test
    void inputArrivingWhileTheGuestWaitsWakesIt() throws Exception {
        VirtualMachine vm = new RiscvMachineFactory().create(GuestRun.config("test-plic.elf"));
        vm.start();
        long n = vm.stopCount();
        vm.resume();
        Thread.sleep(200); // the guest is in WFI with nothing armed: it waits for input
        vm.console().offerInput("world".getBytes());
        StopEvent e = vm.awaitStop(n, 20_000);
        vm.terminate();
        assertNotNull(e, vm.console().transcript());
        assertEquals(0, e.exitStatus(), vm.console().transcript());
        assertTrue(vm.console().transcript().contains("got: world\n"), vm.console().transcript());
    }
}
