/*
 * Copyright (c) 2026 hvdbg contributors
 * SPDX-License-Identifier: EPL-2.0
 */
package io.hvdbg.fuzz;

import java.io.IOException;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import io.hvdbg.core.Architecture;
import io.hvdbg.core.MachineFactory;
import io.hvdbg.core.StopEvent;
import io.hvdbg.core.StopReason;
import io.hvdbg.core.VirtualMachine;
import io.hvdbg.riscv.RiscvMachineFactory;
import io.hvdbg.x86.X86MachineFactory;

/**
 * Hostile guests with a fixed seed and budget: random instruction streams, and random streams
 * seeded with loads and stores to wild addresses (RAM edges, MMIO windows, unassigned space),
 * on both architectures. No Java exception may escape a core: every run must end as a
 * guest-visible fault, an exit, a shutdown or a clean stop with a message, or still be running
 * when its time is up. A program still running at its budget is run again after all the others
 * and must repeat exactly. Prints what happened; exits non-zero on the first escaped exception
 * or difference.
 *
 * <pre>java io.hvdbg.fuzz.HostileGuests [PROGRAMS_PER_ARCH [SEED]]</pre>
 */
public final class HostileGuests {
    /** -Dhvdbg.hostile.verbose=true: one line per program on stderr (to compare runs). */
    private static final boolean VERBOSE = Boolean.getBoolean("hvdbg.hostile.verbose");

    public static void main(String[] args) throws Exception {
        int programs = args.length > 0 ? Integer.parseInt(args[0]) : 150;
        long seed = args.length > 1 ? Long.parseLong(args[1]) : 1;
        boolean ok = run(Architecture.X86_64, new X86MachineFactory(), programs, seed, HostileGuests::x86Code)
                & run(Architecture.RISCV64, new RiscvMachineFactory(), programs, seed, HostileGuests::riscvCode);
        System.exit(ok ? 0 : 1);
    }

    interface CodeGenerator {
        byte[] generate(SplittableRandom random);
    }

    private static boolean run(Architecture arch, MachineFactory factory, int programs, long seed, CodeGenerator gen)
            throws IOException, InterruptedException, io.hvdbg.core.loader.ImageFormatException {
        SplittableRandom random = new SplittableRandom(seed);
        Map<StopReason, Integer> outcomes = new EnumMap<>(StopReason.class);
        int stillRunning = 0;
        long exits = 0;
        long start = System.nanoTime();
        int machine = arch == Architecture.X86_64 ? 62 : 243;
        long base = arch == Architecture.X86_64 ? 0x200000 : 0x80200000L;
        List<Repeat> repeats = new ArrayList<>(); // run again at the end
        for (int i = 0; i < programs; i++) {
            byte[] code = gen.generate(random);
            VirtualMachine vm = boot(arch, factory, machine, base, code);
            try {
                StopEvent stop = GuestRuns.runBriefly(vm, GuestRuns.RUN_GUEST_NS);
                if (stop == null) {
                    stillRunning++;
                    repeats.add(new Repeat(i, code, runSummary(vm)));
                } else {
                    outcomes.merge(stop.reason(), 1, Integer::sum);
                }
                exits += vm.trace().nextSeq();
                if (VERBOSE) {
                    System.err.printf("hostile %s program %d: %s after %d instructions, %d exits%n", arch.cliName(), i,
                            stop == null ? "running" : stop.reason() + " " + stop.message(), vm.vcpu(0).instructions(),
                            vm.trace().nextSeq());
                }
                Throwable bug = vm.lastInternalError();
                if (bug != null) {
                    System.out.printf("hostile %s program %d (seed %d): a Java exception escaped the core:%n", arch.cliName(),
                            i, seed);
                    bug.printStackTrace(System.out);
                    return false;
                }
            } finally {
                vm.terminate();
            }
        }
        for (Repeat r : repeats) {
            if (!repeatsExactly(arch, factory, machine, base, r.code(), r.index(), r.firstRun(), seed)) {
                return false;
            }
        }
        System.out.printf("hostile %-7s %d programs in %.1f s: %s, still running at the budget %d (each repeats"
                + " exactly); %d VM exits recorded; no exception escaped%n", arch.cliName(), programs,
                (System.nanoTime() - start) / 1e9, outcomes, stillRunning, exits);
        return true;
    }

    /** A program still running at its budget, and how its first run went. */
    private record Repeat(int index, byte[] code, String firstRun) {
    }

    /**
     * The image goes to a fixed path: the guest sees it (the x86 multiboot command line starts
     * with it), so a varying name would be a varying input (docs/robustness.md).
     */
    private static VirtualMachine boot(Architecture arch, MachineFactory factory, int machine, long base, byte[] code)
            throws IOException, io.hvdbg.core.loader.ImageFormatException {
        try (GuestImages.ImageFile file = GuestImages.file("hostile-" + arch.cliName() + ".elf",
                GuestImages.elf64(machine, base, code))) {
            return factory.create(GuestRuns.config(arch, file.path()));
        }
    }

    /**
     * Instructions, exits and a digest of the last exits (the 64 KiB trace holds far more, but how
     * many depends on the host-time durations recorded with them): equal for equal runs.
     */
    private static String runSummary(VirtualMachine vm) {
        long[] digest = {1};
        long end = vm.trace().nextSeq();
        vm.trace().read(Math.max(0, end - 256), 256, (seq, vcpu, reason, time, duration, pc, q, info2, context) -> {
            digest[0] = digest[0] * 31 + seq;
            digest[0] = digest[0] * 31 + reason;
            digest[0] = digest[0] * 31 + time;
            digest[0] = digest[0] * 31 + pc;
            digest[0] = digest[0] * 31 + q;
            digest[0] = digest[0] * 31 + info2;
            return true;
        });
        return String.format("%d instructions, %d exits, pc 0x%x, trace digest %016x", vm.vcpu(0).instructions(),
                vm.trace().nextSeq(), vm.vcpu(0).pc(), digest[0]);
    }

    /**
     * Runs a program that reached its budget once more, after all the others: a run must not
     * depend on the machines created before it in the JVM (the core keeps no state between VMs,
     * and the harness gives each run the same inputs).
     */
    private static boolean repeatsExactly(Architecture arch, MachineFactory factory, int machine, long base,
            byte[] code, int index, String first, long seed)
            throws IOException, InterruptedException, io.hvdbg.core.loader.ImageFormatException {
        VirtualMachine vm = boot(arch, factory, machine, base, code);
        String again;
        try {
            StopEvent stop = GuestRuns.runBriefly(vm, GuestRuns.RUN_GUEST_NS);
            again = stop == null ? runSummary(vm) : "stopped: " + stop;
        } finally {
            vm.terminate();
        }
        if (!again.equals(first)) {
            System.out.printf("hostile %s program %d (seed %d) does not repeat: first %s; run again after the others,"
                    + " %s%n", arch.cliName(), index, seed, first, again);
            return false;
        }
        return true;
    }

    /** Random bytes with x86 loads/stores to wild absolute addresses mixed in. */
    private static byte[] x86Code(SplittableRandom r) {
        byte[] b = new byte[256 + r.nextInt(768)];
        for (int i = 0; i < b.length; i++) {
            b[i] = (byte) r.nextInt(256);
        }
        for (int i = 0; i + 16 < b.length; i += 16 + r.nextInt(32)) {
            // movabs rax, imm64 ; mov [rax], al / mov al, [rax]
            b[i] = 0x48;
            b[i + 1] = (byte) 0xb8;
            long a = wildAddress(r, 0xfee00000L, 0xfec00000L, (long) GuestRuns.memoryMiB(Architecture.X86_64) << 20);
            for (int k = 0; k < 8; k++) {
                b[i + 2 + k] = (byte) (a >>> (8 * k));
            }
            b[i + 10] = (byte) (r.nextBoolean() ? 0x88 : 0x8a);
            b[i + 11] = 0x00;
        }
        return b;
    }

    /** Random 32-bit words with RISC-V loads/stores through wild addresses mixed in. */
    private static byte[] riscvCode(SplittableRandom r) {
        int words = 64 + r.nextInt(192);
        byte[] b = new byte[words * 4];
        for (int w = 0; w < words; w++) {
            int insn = r.nextInt();
            if (r.nextInt(4) == 0) {
                // lui t0, hi(addr); then lb/sb/ld/sd t1, lo(addr)(t0)
                long a = wildAddress(r, 0x10000000L, 0x0c000000L, 0x80000000L + ((long) GuestRuns.memoryMiB(Architecture.RISCV64) << 20));
                int hi = (int) ((a + 0x800) >>> 12) & 0xfffff;
                put(b, w, (hi << 12) | (5 << 7) | 0x37);
                if (++w >= words) {
                    break;
                }
                int lo = (int) (a & 0xfff);
                insn = r.nextBoolean()
                        ? (lo << 20) | (5 << 15) | (r.nextInt(4) << 12) | (6 << 7) | 0x03 // load
                        : ((lo >> 5) << 25) | (6 << 20) | (5 << 15) | (r.nextInt(4) << 12) | ((lo & 31) << 7) | 0x23;
            }
            put(b, w, insn);
        }
        return b;
    }

    private static long wildAddress(SplittableRandom r, long mmio1, long mmio2, long ramEnd) {
        return switch (r.nextInt(5)) {
            case 0 -> mmio1 + r.nextInt(0x1000);
            case 1 -> mmio2 + r.nextInt(0x1000);
            case 2 -> ramEnd - r.nextInt(16);
            case 3 -> r.nextLong() & 0xffff_ffffL;
            default -> r.nextLong();
        };
    }

    private static void put(byte[] b, int word, int insn) {
        for (int k = 0; k < 4; k++) {
            b[word * 4 + k] = (byte) (insn >>> (8 * k));
        }
    }
}
