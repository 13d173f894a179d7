/*
 * Copyright (c) 2026 hvdbg contributors
 * SPDX-License-Identifier: EPL-2.0
 */
package io.hvdbg.x86;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

import io.hvdbg.core.Architecture;
import io.hvdbg.core.VmConfig;
import io.hvdbg.core.vcpu.VcpuState;
import io.hvdbg.x86.cpu.X86Vcpu;
import io.hvdbg.x86.dev.LocalApic;

/** INIT puts a running AP back into wait-for-SIPI (so the INIT-SIPI-SIPI sequence can restart it); INIT de-assert does nothing. */
class InitSipiTest {
    @Test
    void initReturnsAnApToWaitForSipi() throws Exception {
        X86Machine vm = (X86Machine) new X86MachineFactory().create(VmConfig.defaults(Architecture.X86_64).withSmp(2));
        try {
            LocalApic bsp = vm.x86(0).apic();
            X86Vcpu ap = vm.x86(1);
            assertEquals(VcpuState.STOPPED, ap.state());
            bsp.write(0x310, 1 << 24, 0);
            bsp.write(0x300, (6 << 8) | 0x10, 0); // SIPI, vector 0x10
            assertEquals(VcpuState.RUNNABLE, ap.state());
            assertEquals(0x10000, ap.segBase[X86Vcpu.CS]);
            bsp.write(0x300, (5 << 8) | (1 << 15), 0); // INIT level de-assert: no effect
            assertEquals(VcpuState.RUNNABLE, ap.state());
            bsp.write(0x300, (5 << 8) | (1 << 14), 0); // INIT assert
            assertEquals(VcpuState.STOPPED, ap.state());
            bsp.write(0x300, (6 << 8) | 0x20, 0); // SIPI again: starts at the new vector
            assertEquals(VcpuState.RUNNABLE, ap.state());
            assertEquals(0x20000, ap.segBase[X86Vcpu.CS]);
            bsp.write(0x300, (3 << 18) | (5 << 8) | (1 << 14), 0); // INIT to all but self leaves the BSP alone
            assertEquals(VcpuState.STOPPED, ap.state());
            assertEquals(VcpuState.RUNNABLE, vm.x86(0).state());
        } finally {
            vm.terminate();
        }
    }
}
