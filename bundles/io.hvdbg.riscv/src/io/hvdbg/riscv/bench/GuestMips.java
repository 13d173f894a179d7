/*
 * Copyright (c) 2026 hvdbg contributors
 * SPDX-License-Identifier: EPL-2.0
 */
package io.hvdbg.riscv.bench;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * The QEMU TCG side of {@code hvdbg bench riscv64-guest-mips}: the same CPU-bound guest
 * (images/riscv64/bench.elf of io.hvdbg.guests) under qemu-system-riscv64 when it is installed.
 */
public final class GuestMips {
    private GuestMips() {
    }

    /** The qemu-system-riscv64 on PATH, or null. */
    public static Path qemu() {
        String path = System.getenv("PATH");
        if (path == null) {
            return null;
        }
        for (String dir : path.split(File.pathSeparator)) {
            Path p = Path.of(dir, "qemu-system-riscv64");
            if (Files.isExecutable(p)) {
                return p;
            }
        }
        return null;
    }

    /**
     * Seconds QEMU TCG (virt machine, its default OpenSBI) needs for the guest, best of
     * {@code runs}, minus the best time of {@code emptyKernel} (boot and exit only), so the
     * figure is the guest's own run time. Null if QEMU is not installed.
     */
    public static Double qemuSeconds(Path kernel, Path emptyKernel, int runs) throws IOException, InterruptedException {
        Path q = qemu();
        if (q == null) {
            return null;
        }
        double full = Double.MAX_VALUE;
        double empty = Double.MAX_VALUE;
        for (int i = 0; i < runs; i++) {
            full = Math.min(full, runQemu(q, kernel));
            empty = Math.min(empty, runQemu(q, emptyKernel));
        }
        return Math.max(1e-6, full - empty);
    }

    private static double runQemu(Path qemu, Path kernel) throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(qemu.toString(), "-M", "virt", "-m", "128", "-nographic", "-monitor",
                "none", "-serial", "stdio", "-kernel", kernel.toString());
        pb.redirectErrorStream(true);
        pb.redirectOutput(ProcessBuilder.Redirect.DISCARD);
        long t0 = System.nanoTime();
        Process p = pb.start();
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IOException("qemu-system-riscv64 did not finish " + kernel + " within 120 s");
        }
        return (System.nanoTime() - t0) / 1e9;
    }
}
