/*
 * Copyright (c) 2026 hvdbg contributors
 * SPDX-License-Identifier: EPL-2.0
 */
package io.hvdbg.rsp.gdb;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;

import io.hvdbg.core.Architecture;
import io.hvdbg.core.loader.ElfImage;
import io.hvdbg.core.loader.ImageFormatException;
import io.hvdbg.rsp.testarch.TestMachine;

/**
 * The gdb tests' guest: resources/gdb-guest/ARCH.elf, assembled from ARCH.S beside it by
 * build.sh (committed, so the tests need no toolchain), loaded into a test machine. The same
 * ELF, written to a temporary folder, is what gdb reads its symbols from.
 */
final class TestGuest {
    final Path elf;
    final ElfImage image;

    private TestGuest(Path elf, ElfImage image) {
        this.elf = elf;
        this.image = image;
    }

    static TestGuest build(Architecture arch, Path dir) throws IOException {
        String name = arch.cliName() + ".elf";
        byte[] data;
        try (InputStream in = TestGuest.class.getResourceAsStream("/gdb-guest/" + name)) {
            if (in == null) {
                throw new AssertionError("test resource gdb-guest/" + name + " is missing from the class path");
            }
            data = in.readAllBytes();
        }
        Path elf = dir.resolve(name);
        Files.write(elf, data);
        try {
            return new TestGuest(elf, ElfImage.parse(name, data));
        } catch (ImageFormatException e) {
            throw new AssertionError(e.getMessage(), e);
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
