/*
 * Copyright (c) 2026 hvdbg contributors
 * SPDX-License-Identifier: EPL-2.0
 */
package io.hvdbg.x86.dev;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

import io.hvdbg.core.Architecture;
import io.hvdbg.core.VmConfig;
import io.hvdbg.x86.X86Machine;
import io.hvdbg.x86.X86MachineFactory;

/** QEMU's pc-testdev on the pc machine, as kvm-unit-tests drive it (set_irq_line, the scratch ports and memory). */
class PcTestDevTest {
    @Test
    void scratchRegisterIrqLinesAndIomem() throws Exception {
        X86Machine vm = (X86Machine) new X86MachineFactory().create(VmConfig.defaults(Architecture.X86_64));
        try {
            var io = vm.ioPorts();
            io.out(0xE0, 4, 0x12345678);
            assertEquals(0x1234, io.in(0xE2, 2));
            io.out(0xE9, 1, 0xAB); // the byte port reaches the same register
            assertEquals(0x1234AB78, io.in(0xE0, 4));

            // set_irq_line(10, 1) with IOAPIC pin 10 level-triggered, vector 0x50, to APIC 0
            IoApic ioapic = vm.ioapic();
            ioapic.write(0, 4, 0x10 + 2 * 10);
            ioapic.write(0x10, 4, 0x50 | (1 << 15));
            io.out(0x2000 + 10, 1, 1);
            assertEquals(1 << 16, vm.x86(0).apic().read(0x220, 0) & (1 << 16)); // IRR bit of 0x50
            assertEquals(IoApic.REMOTE_IRR, ioapic.entry(10) & IoApic.REMOTE_IRR);
            io.out(0x2000 + 10, 1, 0);

            // an ISA line also reaches the 8259 (latched even while masked)
            io.out(0x2000 + 3, 1, 1);
            assertEquals(1 << 3, vm.pic().irr() & (1 << 3));

            vm.memory().mmioWrite(PcTestDev.IOMEM + 0x10, 8, 0x1122334455667788L);
            assertEquals(0x55667788L, vm.memory().mmioRead(PcTestDev.IOMEM + 0x10, 4));
            assertEquals(0x1122334455667788L, vm.memory().mmioRead(PcTestDev.IOMEM + 0x10, 8));
        } finally {
            vm.terminate();
        }
    }
}
