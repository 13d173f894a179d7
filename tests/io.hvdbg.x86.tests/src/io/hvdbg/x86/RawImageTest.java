/*
 * Copyright (c) 2026 hvdbg contributors
 * SPDX-License-Identifier: EPL-2.0
 */
package io.hvdbg.x86;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.hvdbg.core.Architecture;
import io.hvdbg.core.StopReason;
import io.hvdbg.core.VmConfig;
import io.hvdbg.core.loader.ImageFormatException;
import io.hvdbg.guests.GuestImages;
import io.hvdbg.x86.cpu.X86Vcpu;

/**
 * Raw firmware images (what QEMU's -bios takes): mapped as ROM ending at 4 GiB with their last
 * 64 KiB copied to 0xF0000, started in real mode at the reset vector F000:FFF0. test-raw.bin
 * checks that from inside, under hvdbg and, when installed, under QEMU with the same image.
 */
class RawImageTest {
    @TempDir
    Path dir;

    @Test
    void rawFirmwareStartsAtTheResetVectorInRealMode() throws Exception {
        Path image = GuestImages.extract("x86_64/test-raw.bin");
        X86Machine vm = (X86Machine) new X86MachineFactory().create(
                VmConfig.defaults(Architecture.X86_64).withKernel(image));
        X86Vcpu boot = vm.x86(0);
        assertEquals(0xFFF0, boot.pc());
        assertEquals(0xF000, boot.segSel[X86Vcpu.CS]);
        assertEquals(0xFFFF0000L, boot.segBase[X86Vcpu.CS]);
        assertEquals(0, boot.cr0 & 1);
        int[] leaf1 = new int[4];
        boot.cpuidProvider().cpuid(1, 0, 0, 0, leaf1);
        assertEquals(leaf1[0] & 0xFFFF_FFFFL, boot.regs[X86Vcpu.RDX]); // the CPU signature
        assertEquals(0xEA, vm.memory().load(0xFFFF_FFF0L, 1)); // the image's reset vector at 4 GiB
        assertEquals(0xEA, vm.memory().load(0xFFFF0, 1)); // and in the copy below 1 MiB
        assertTrue(vm.memory().slotFor(0xFFFF_0000L).readOnly());
        vm.terminate();
    }

    @Test
    void rawGuestPasses() throws Exception {
        GuestRun r = GuestRun.run("test-raw.bin");
        assertEquals(StopReason.SHUTDOWN, r.end.reason(), r.describe());
        assertEquals(1, r.end.exitStatus(), r.describe());
        assertTrue(r.console().contains("raw: real mode at the reset vector\n"), r.describe());
        assertTrue(r.console().contains("raw: PASS"), r.describe());
        assertFalse(r.console().contains("FAIL"), r.describe());
    }

    @Test
    void rawGuestPassesUnderQemuBiosToo() throws Exception {
        String qemu = null;
        for (String d : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            if (new File(d, "qemu-system-x86_64").canExecute()) {
                qemu = new File(d, "qemu-system-x86_64").getPath();
                break;
            }
        }
        assumeTrue(qemu != null, "qemu-system-x86_64 is not installed");
        Path image = GuestImages.extract("x86_64/test-raw.bin");
        Process p = new ProcessBuilder(List.of(qemu, "-M", "pc", "-m", "128", "-bios", image.toString(), "-device",
                "isa-debug-exit,iobase=0xf4,iosize=4", "-serial", "stdio", "-display", "none", "-no-reboot",
                "-nodefaults")).redirectErrorStream(true).start();
        p.getOutputStream().close();
        boolean done = p.waitFor(60, TimeUnit.SECONDS);
        if (!done) {
            p.destroyForcibly();
        }
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(done, out);
        assertTrue(out.contains("raw: PASS"), out);
        assertEquals(1, p.exitValue(), out);
    }

    private String reject(byte[] data) throws Exception {
        Path f = dir.resolve("firmware.bin");
        Files.write(f, data);
        VmConfig c = VmConfig.defaults(Architecture.X86_64).withKernel(f);
        ImageFormatException e = assertThrows(ImageFormatException.class, () -> new X86MachineFactory().create(c));
        String m = e.getMessage();
        assertTrue(m.startsWith(f + ": "), m);
        assertFalse(m.contains("\n"), m);
        return m;
    }

    @Test
    void truncatedRawImageHasNoResetVectorAndIsRejectedInOneLine() throws Exception {
        byte[] whole = Files.readAllBytes(GuestImages.extract("x86_64/test-raw.bin"));
        String m = reject(Arrays.copyOf(whole, 0x8000));
        assertTrue(m.contains("reset vector"), m);
        assertTrue(reject(new byte[15]).contains("neither a multiboot kernel nor an ELF"));
    }

    @Test
    void rawImageLargerThan16MiBIsRejected() throws Exception {
        byte[] big = new byte[(16 << 20) + 0x10000];
        big[big.length - 16] = (byte) 0xEA;
        String m = reject(big);
        assertTrue(m.contains("larger than 16 MiB"), m);
    }
}
