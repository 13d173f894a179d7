/*
 * Copyright (c) 2026 hvdbg contributors
 * SPDX-License-Identifier: EPL-2.0
 */
package io.hvdbg.x86;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.util.Random;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import io.hvdbg.core.StopEvent;
import io.hvdbg.core.StopReason;
import io.hvdbg.x86.cpu.X86Vcpu;

/**
 * A guest can never crash the core: random bytes executed in 64-bit, 32-bit and real mode end
 * in a guest-visible way (exceptions, triple fault, a device exit, a halt) - never in an
 * internal error of the interpreter.
 */
class RandomCodeTest {
    @ParameterizedTest
    @ValueSource(ints = {64, 32, 16})
    void randomCodeNeverBreaksTheCore(int mode) throws Exception {
        Random rnd = new Random(0x5eed + mode);
        for (int round = 0; round < 12; round++) {
            X86Machine vm = (X86Machine) new X86MachineFactory().create(GuestRun.config("test-sys-elf64.elf")
                    .withMemoryMiB(16));
            X86Vcpu v = vm.x86(0);
            byte[] code = new byte[4096];
            rnd.nextBytes(code);
            vm.memory().write(0x200000, code, 0, code.length);
            if (mode == 32) {
                v.resetToProtectedMode();
                v.gdtBase = 0x800;
                v.gdtLimit = 0x1F;
            } else if (mode == 16) {
                v.resetToProtectedMode();
                v.cr0 = 0x10;
                v.segBase[X86Vcpu.CS] = 0x200000 - 0x1000;
                v.writeRegister(16, 0);
            }
            v.idtBase = 0;
            v.idtLimit = round % 2 == 0 ? 0 : 0xFFF; // empty IDT, or one full of zeros (not-present gates)
            v.rip = mode == 16 ? 0x1000 : 0x200000;
            v.regs[X86Vcpu.RSP] = 0x300000;
            for (int r = 0; r < 16; r++) {
                if (r != X86Vcpu.RSP) {
                    v.regs[r] = rnd.nextInt(0x400000);
                }
            }
            vm.setStopWhenIdleForever(true);
            StopEvent e = vm.runUntilStop(200); // random code may loop forever: stop it after a while
            if (e == null || e.reason() == StopReason.EXIT_BREAKPOINT) {
                vm.pause();
                e = vm.awaitStop(vm.stopCount() - 1, 5_000);
            }
            vm.terminate();
            assertNotNull(e, "mode " + mode + " round " + round + ": no stop");
            boolean internal = e.reason() == StopReason.ERROR && e.message() != null
                    && e.message().contains("internal error");
            assertFalse(internal, "mode " + mode + " round " + round + ": " + e.message());
        }
    }
}
