/*
 * Copyright (c) 2026 hvdbg contributors
 * SPDX-License-Identifier: EPL-2.0
 */
package io.hvdbg.rsp.gdb;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import io.hvdbg.core.Architecture;
import io.hvdbg.core.loader.ElfImage;
import io.hvdbg.core.loader.ImageFormatException;
import io.hvdbg.rsp.testarch.TestMachine;

/**
 * The gdb tests' guest (resources/gdb-guest/ARCH.S), assembled and linked with the Debian
 * binutils for the architecture into an ELF with symbols, loaded into a test machine. The
 * same ELF is what gdb reads its symbols from.
 */
final class TestGuest {
    final Path elf;
    final ElfImage image;

    private TestGuest(Path elf, ElfImage image) {
        this.elf = elf;
        this.image = image;
    }

    static TestGuest build(Architecture arch, Path dir) throws IOException, InterruptedException {
        String name = arch.cliName();
        Path source = dir.resolve(name + ".S");
        try (InputStream in = TestGuest.class.getResourceAsStream("/gdb-guest/" + name + ".S")) {
            if (in == null) {
                throw new AssertionError("test resource gdb-guest/" + name + ".S is missing from the class path");
            }
            Files.write(source, in.readAllBytes());
        }
        String prefix = arch == Architecture.X86_64 ? "" : "riscv64-linux-gnu-";
        String pkg = arch == Architecture.X86_64 ? "binutils" : "binutils-riscv64-linux-gnu";
        Path object = dir.resolve(name + ".o");
        Path elf = dir.resolve(name + ".elf");
        tool(pkg, List.of(prefix + "as", "-o", object.toString(), source.toString()));
        tool(pkg, List.of(prefix + "ld", "-N", "--no-warn-rwx-segments", "-Ttext=0x1000", "-Tdata=0x2000", "-e",
                "_start", "-o", elf.toString(), object.toString()));
        try {
            return new TestGuest(elf, ElfImage.parse(elf.toString(), Files.readAllBytes(elf)));
        } catch (ImageFormatException e) {
            throw new AssertionError(e.getMessage(), e);
        }
    }

    private static void tool(String pkg, List<String> argv) throws IOException, InterruptedException {
        Process p;
        try {
            p = new ProcessBuilder(argv).redirectErrorStream(true).start();
        } catch (IOException e) {
            throw new AssertionError(argv.get(0) + " is not installed; the gdb tests need it (Debian: apt-get install "
                    + pkg + ")");
        }
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError(argv.get(0) + " did not finish");
        }
        String out = new String(p.getInputStream().readAllBytes());
        if (p.exitValue() != 0) {
            throw new AssertionError(String.join(" ", argv) + " failed:\n" + out);
        }
    }

    long symbol(String name) {
        return image.symbol(name).value();
    }

    /** A test machine with the guest loaded and every vCPU at the entry point. */
    TestMachine machine(Architecture arch, int vcpus) {
        TestMachine vm = new TestMachine(arch, vcpus);
        for (ElfImage.Segment s : image.segments()) {
            byte[] data = new byte[(int) s.memSize()];
            System.arraycopy(image.data(), (int) s.offset(), data, 0, (int) s.fileSize());
            vm.load(s.paddr(), data);
        }
        for (int i = 0; i < vcpus; i++) {
            vm.testVcpu(i).setPc(image.entry());
        }
        return vm;
    }
}
