/*
 * Copyright (c) 2026 hvdbg contributors
 * SPDX-License-Identifier: EPL-2.0
 */
package io.hvdbg.riscv;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.hvdbg.core.Architecture;
import io.hvdbg.core.StopEvent;
import io.hvdbg.core.StopReason;
import io.hvdbg.core.VirtualMachine;
import io.hvdbg.core.VmConfig;

/** Guests that can never go on end in a clean error stop with a message, not a hang or a host failure. */
class GuestRobustnessTest {
    @TempDir
    Path dir;

    private StopEvent runRaw(String name, int... bytes) throws Exception {
        byte[] b = new byte[bytes.length];
        for (int i = 0; i < b.length; i++) {
            b[i] = (byte) bytes[i];
        }
        Path f = dir.resolve(name + ".bin");
        Files.write(f, b);
        VirtualMachine vm = new RiscvMachineFactory().create(
                VmConfig.defaults(Architecture.RISCV64).withKernel(f).withMemoryMiB(16));
        vm.setStopWhenIdleForever(true);
        vm.start();
        StopEvent e = vm.runUntilStop(10_000);
        vm.terminate();
        assertNotNull(e, "the VM must stop on its own");
        return e;
    }

    @Test
    void trapVectorThatFaultsItself() throws Exception {
        // li t0, 0x4000000000; csrw stvec, t0; li t1, Sv39 | root 0x80300000 (zero: no mappings);
        // csrw satp, t1; sfence.vma; nop  -> every fetch faults, the vector too.
        StopEvent e = runRaw("double-fault", 0x9b, 0x02, 0x10, 0x00, 0x93, 0x92, 0x62, 0x02, 0x73, 0x90, 0x52, 0x10,
                0x1b, 0x03, 0xf0, 0xff, 0x13, 0x13, 0xc3, 0x02, 0x13, 0x03, 0x13, 0x00,
                0x13, 0x13, 0x33, 0x01, 0x13, 0x03, 0x03, 0x30, 0x73, 0x10, 0x03, 0x18,
                0x73, 0x00, 0x00, 0x12, 0x13, 0x00, 0x00, 0x00);
        assertEquals(StopReason.ERROR, e.reason(), e.message());
        assertTrue(e.message().contains("trap vector at 0x4000000000"), e.message());
    }

    @Test
    void jumpIntoDeviceMemory() throws Exception {
        // lui t0, 0x10000; jr t0  -> instruction fetch from the UART
        StopEvent e = runRaw("jump-to-uart", 0xb7, 0x02, 0x00, 0x10, 0x67, 0x80, 0x02, 0x00);
        assertEquals(StopReason.ERROR, e.reason(), e.message());
        assertTrue(e.message().contains("0x10000000") && e.message().contains("not RAM"), e.message());
    }

    @Test
    void lastHartStopsItself() throws Exception {
        // li a7, HSM (0x48534d); li a6, 1 (hart_stop); ecall
        StopEvent e = runRaw("hsm-stop", 0xb7, 0x58, 0x48, 0x00, 0x9b, 0x88, 0xd8, 0x34, 0x13, 0x08, 0x10, 0x00,
                0x73, 0x00, 0x00, 0x00);
        assertEquals(StopReason.ERROR, e.reason(), e.message());
        assertTrue(e.message().contains("can never run again"), e.message());
    }
}
