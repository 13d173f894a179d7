/*
 * Copyright (c) 2026 hvdbg contributors
 * SPDX-License-Identifier: EPL-2.0
 */
package io.hvdbg.riscv;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.hvdbg.core.Architecture;
import io.hvdbg.core.VmConfig;
import io.hvdbg.core.loader.ImageFormatException;
import io.hvdbg.guests.GuestImages;

/** Bad kernel images end in one clear line naming the file and the problem. */
class BadImageTest {
    @TempDir
    Path dir;

    private String error(byte[] content, String name, int memoryMiB) throws Exception {
        Path f = dir.resolve(name);
        Files.write(f, content);
        VmConfig c = VmConfig.defaults(Architecture.RISCV64).withKernel(f).withMemoryMiB(memoryMiB);
        ImageFormatException e = assertThrows(ImageFormatException.class, () -> new RiscvMachineFactory().create(c));
        assertTrue(!e.getMessage().contains("\n") && e.getMessage().contains(f.toString()), e.getMessage());
        return e.getMessage();
    }

    @Test
    void truncatedElf() throws Exception {
        byte[] elf = GuestImages.read("riscv64/demo.elf");
        String m = error(Arrays.copyOf(elf, 200), "trunc.elf", 64);
        assertTrue(m.contains("truncated") || m.contains("beyond the end"), m);
    }

    @Test
    void wrongMagic() throws Exception {
        byte[] img = GuestImages.read("riscv64/demo.img");
        byte[] bad = img.clone();
        bad[48] = 'X';
        bad[56] = 'X';
        String m = error(bad, "bad.img", 64);
        assertTrue(m.contains("magic"), m);
    }

    @Test
    void elfForAnotherMachine() throws Exception {
        byte[] elf = GuestImages.read("riscv64/demo.elf").clone();
        elf[18] = 62; // EM_X86_64
        elf[19] = 0;
        assertTrue(error(elf, "x86.elf", 64).contains("not RISC-V"));
    }

    @Test
    void tooLargeForRam() throws Exception {
        byte[] img = GuestImages.read("riscv64/demo.img").clone();
        // image_size says 8 MiB: does not fit in 4 MiB of RAM.
        img[16] = 0;
        img[17] = 0;
        img[18] = (byte) 0x80;
        assertTrue(error(img, "big.img", 4).contains("raise --memory"));
        assertTrue(error(GuestImages.read("riscv64/demo.elf"), "big.elf", 2).contains("outside RAM"));
    }

    @Test
    void badOptionsAreOneLineErrors() throws Exception {
        VmConfig huge = GuestRun.config("demo.elf").withMemoryMiB(65536);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new RiscvMachineFactory().create(huge));
        assertTrue(e.getMessage().contains("--memory 65536 MiB") && !e.getMessage().contains("\n"), e.getMessage());
        VmConfig isa = GuestRun.config("demo.elf").withIsa("rv64imafdc_zbb_nosuchext");
        e = assertThrows(IllegalArgumentException.class, () -> new RiscvMachineFactory().create(isa));
        assertTrue(e.getMessage().contains("'nosuchext'"), e.getMessage());
        VmConfig gstage = GuestRun.config("demo.elf").withOption("gstage", "sv32");
        e = assertThrows(IllegalArgumentException.class, () -> new RiscvMachineFactory().create(gstage));
        assertTrue(e.getMessage().contains("sv32"), e.getMessage());
    }

    @Test
    void emptyAndShortFiles() throws Exception {
        assertTrue(error(new byte[0], "empty", 64).contains("empty"));
        assertTrue(error("hello".getBytes(), "hello.txt", 64).contains("too short"));
    }
}
