/*
 * Copyright (c) 2026 hvdbg contributors
 * SPDX-License-Identifier: EPL-2.0
 */
package io.hvdbg.riscv;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

import io.hvdbg.core.StopReason;
import io.hvdbg.guests.GuestImages;

/**
 * A Linux kernel built for QEMU's virt machine (Debian linux-source-6.1, Debian's cross
 * compiler, sources/riscv64/linux) boots on two harts with an initramfs to its /init, which
 * prints from userspace and powers off; Linux turns that into SBI SRST shutdown.
 */
class LinuxBootTest {
    @Test
    void linuxBootsToInitAndPowersOff() throws Exception {
        GuestRun r = GuestRun.run(GuestRun.config("demo.elf").withMemoryMiB(128).withSmp(2)
                .withKernel(GuestImages.extract("riscv64/linux/Image.gz"))
                .withInitrd(GuestImages.extract("riscv64/linux/initramfs.cpio.gz"))
                .withAppend("console=ttyS0 earlycon=sbi"));
        String c = r.console();
        assertEquals(StopReason.SHUTDOWN, r.end.reason(), r.describe());
        assertEquals(0, r.end.exitStatus(), r.describe());
        assertTrue(c.contains("Linux version 6.1"), c);
        assertTrue(c.contains("earlycon: sbi0"), "early console through SBI:\n" + c);
        assertTrue(c.contains("Timer interrupt in S-mode is available via sstc extension"), c);
        assertTrue(c.contains("smp: Brought up 1 node, 2 CPUs"), "the second hart came up through SBI HSM:\n" + c);
        assertTrue(c.contains("ttyS0 at MMIO 0x10000000"), c);
        assertTrue(c.contains("Unpacking initramfs"), c);
        assertTrue(c.contains("hvdbg init: hello from userspace, powering off"), c);
        assertTrue(c.contains("reboot: Power down"), c);
    }

    @Test
    void withoutSstcOnTheSbiConsole() throws Exception {
        GuestRun r = GuestRun.run(GuestRun.config("demo.elf").withMemoryMiB(128)
                .withIsa("rv64imafdc_zicsr_zifencei_zicntr_zba_zbb_zbs")
                .withKernel(GuestImages.extract("riscv64/linux/Image.gz"))
                .withInitrd(GuestImages.extract("riscv64/linux/initramfs.cpio.gz"))
                .withAppend("console=hvc0"));
        String c = r.console();
        assertEquals(0, r.end.exitStatus(), r.describe());
        assertTrue(!c.contains("available via sstc"), c);
        assertTrue(r.exits("VIRTUAL_SUPERVISOR_ECALL") > 1000, "console=hvc0 prints through SBI console ecalls");
        assertTrue(c.contains("hvdbg init: hello from userspace, powering off"), c);
        assertTrue(r.exits("SUPERVISOR_TIMER_INTERRUPT") > 0, "timer ticks come from SBI set_timer via host timer exits");
    }
}
