/*
 * Copyright (c) 2026 hvdbg contributors
 * SPDX-License-Identifier: EPL-2.0
 */
package io.hvdbg.riscv;

import static io.hvdbg.riscv.MiniAsm.*;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.TreeMap;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import io.hvdbg.core.Architecture;
import io.hvdbg.core.StopEvent;
import io.hvdbg.core.Vcpu;
import io.hvdbg.core.VirtualMachine;
import io.hvdbg.core.VmConfig;
import io.hvdbg.guests.GuestImages;

/**
 * The block compiler against the interpreter: the same guest with {@code --option jit=on} and
 * {@code jit=off} must end the same way with the same console, the same registers and pc, the
 * same retired-instruction count per vCPU and the same exits. Beside the bundled guests, small
 * hand-assembled guests hit the hard cases: exits and guest traps in the middle of a block,
 * self-modifying code (with fence.i, also a block that rewrites its own instructions) and a
 * code page remapped under a virtual address (sfence.vma).
 */
class JitDifferentialTest {
    @TempDir
    Path dir;

    /** What a finished run leaves behind, for comparison. */
    private record Outcome(String end, String console, long[][] regs, long[] pcs, long[] instructions,
            TreeMap<String, Long> exits, int compiledBlocks) {
    }

    private static Outcome run(VmConfig config) throws Exception {
        VirtualMachine vm = new RiscvMachineFactory().create(config);
        vm.setStopWhenIdleForever(true);
        vm.start();
        StopEvent e = vm.runUntilStop(60_000);
        vm.terminate();
        assertNotNull(e, "the guest did not end within 60 s; console:\n" + vm.console().transcript());
        List<? extends Vcpu> vcpus = vm.vcpus();
        long[][] regs = new long[vcpus.size()][];
        long[] pcs = new long[vcpus.size()];
        long[] n = new long[vcpus.size()];
        int blocks = 0;
        for (int i = 0; i < vcpus.size(); i++) {
            RiscvVcpu v = (RiscvVcpu) vcpus.get(i);
            regs[i] = Arrays.copyOf(v.hart().x, 32);
            pcs[i] = v.hart().pc;
            n[i] = v.instructions();
            blocks = Math.max(blocks, v.interpreter().compiledBlocks());
        }
        TreeMap<String, Long> exits = new TreeMap<>();
        vm.statistics().report(-1).forEach(r -> exits.merge(r.reason().name(), r.samples(), Long::sum));
        return new Outcome(e.reason() + " status " + e.exitStatus() + ": " + e.message(), vm.console().transcript(),
                regs, pcs, n, exits, blocks);
    }

    /**
     * Runs the guest both ways, asserts they agree and that blocks were compiled; returns the
     * JIT run. Blocks are compiled after 2 arrivals (the default waits for 1000) so that as
     * much of the guest as possible runs compiled.
     */
    private static Outcome compare(VmConfig config) throws Exception {
        return compare(config, 2);
    }

    private static Outcome compare(VmConfig config, int threshold) throws Exception {
        Outcome off = run(config.withOption("jit", "off"));
        Outcome on = run(config.withOption("jit", "on").withOption("jit-threshold", String.valueOf(threshold)));
        assertEquals(0, off.compiledBlocks(), "jit=off compiles nothing");
        assertTrue(on.compiledBlocks() > 0, "jit=on compiled no block");
        assertEquals(off.end(), on.end(), "how the run ended");
        assertEquals(off.console(), on.console(), "console");
        assertArrayEquals(off.instructions(), on.instructions(), "retired instructions per vCPU");
        assertArrayEquals(off.pcs(), on.pcs(), "final pc per vCPU");
        for (int i = 0; i < off.regs().length; i++) {
            assertArrayEquals(off.regs()[i], on.regs()[i], "registers of vCPU " + i);
        }
        assertEquals(off.exits(), on.exits(), "exits by reason");
        return on;
    }

    private VmConfig rawGuest(String name, byte[] image) throws Exception {
        Path f = dir.resolve(name + ".bin");
        Files.write(f, image);
        return VmConfig.defaults(Architecture.RISCV64).withKernel(f).withMemoryMiB(16).withTraceBytes(1 << 20);
    }

    @ParameterizedTest
    @ValueSource(strings = { "test-int.elf", "test-isa.elf", "test-paging.elf", "test-atomic.elf", "test-umode.elf",
            "test-timer.elf", "test-fp.elf", "demo.elf" })
    void bundledGuestsRunTheSameCompiled(String image) throws Exception {
        Outcome on = compare(GuestRun.config(image));
        assertTrue(on.end().contains("status 0"), on.end() + "\n" + on.console());
    }

    @ParameterizedTest
    @ValueSource(strings = { "test-smp.elf", "test-sbi.elf" })
    void smpGuestsRunTheSameCompiled(String image) throws Exception {
        // Deterministic round-robin scheduling: the interleaving must not change either.
        Outcome on = compare(GuestRun.config(image).withSmp(image.equals("test-smp.elf") ? 4 : 2));
        assertTrue(on.end().contains("status 0"), on.end() + "\n" + on.console());
    }

    @Test
    void linuxBootsTheSameCompiled() throws Exception {
        // Two harts, timer interrupts, page-table changes, module-free userspace: the console
        // (with its guest-time stamps), every register and the instruction counts must match.
        Outcome on = compare(GuestRun.config("demo.elf").withMemoryMiB(128).withSmp(2)
                .withKernel(GuestImages.extract("riscv64/linux/Image.gz"))
                .withInitrd(GuestImages.extract("riscv64/linux/initramfs.cpio.gz"))
                .withAppend("console=ttyS0 earlycon=sbi"), 100);
        assertTrue(on.console().contains("hvdbg init: hello from userspace, powering off"), on.console());
        assertTrue(on.end().contains("status 0"), on.end());
    }

    /** Integer loops over a data page, with a UART store (an MMIO exit) inside the block after the inner loop. */
    private static byte[] loopsImage() {
        MiniAsm a = new MiniAsm();
        a.la(S2, "data").li(S0, 0).li(S1, 300).lui(S7, 0x10000); // s7 = UART THR
        a.label("outer").li(T0, 0);
        a.label("inner")
                .slli(T1, T0, 3).add(T2, S2, T1).ld(T3, T2, 0).add(T3, T3, T0).mul(T3, T3, S1).xor(S0, S0, T3)
                .sd(T3, T2, 0).lw(T4, T2, 4).lhu(T5, T2, 2).lb(T6, T2, 1).lwu(A2, T2, 0).lh(A3, T2, 6)
                .add(S0, S0, T4).sub(S0, S0, T5).add(S0, S0, T6).xor(S0, S0, A2).add(S0, S0, A3)
                .sb(T0, T2, 3).sh(S0, T2, 4)
                .addiw(T4, T4, -7).sllw(T5, T4, T0).sraw(T6, T5, T0).add(S0, S0, T6).addw(A4, S0, T4)
                .slt(A2, T4, T5).sltu(A3, T4, T5).add(S0, S0, A2).add(S0, S0, A3).slti(A2, S0, -5).sltiu(A3, S0, 77)
                .or(S0, S0, A2).and(A5, S0, A4).xori(A5, A5, 0x55).andi(A5, A5, 0x7F).add(S0, S0, A5)
                .divu(A4, S0, S1).rem(A5, S0, T0).add(S0, S0, A4).xor(S0, S0, A5).mulh(A6, S0, T3).mulw(A4, A6, S0)
                .add(S0, S0, A6).sub(S0, S0, A4).srai(A2, S0, 13).srli(A3, S0, 7).xor(S0, S0, A2).add(S0, S0, A3)
                .sll(A2, S0, T0).sra(A3, S0, T0).xor(S0, S0, A2).add(S0, S0, A3)
                .addi(T0, T0, 1).li(T4, 64).blt(T0, T4, "inner");
        a.andi(A2, S0, 15).addi(A2, A2, 'a').sb(A2, S7, 0).addi(S1, S1, -1).bne(S1, ZERO, "outer");
        a.li(A2, '\n').sb(A2, S7, 0).shutdown();
        a.org(0x3000).label("data");
        for (int i = 0; i < 64; i++) {
            a.dword(0x1234_5678_9abc_def0L * (i + 1));
        }
        return a.assemble();
    }

    @Test
    void integerLoopsWithDeviceExitsInsideBlocks() throws Exception {
        Outcome on = compare(rawGuest("loops", loopsImage()));
        assertEquals(301, on.console().length(), on.console());
    }

    /** Pauses at guest-time limits (slice ends inside compiled loops), single steps, resumes. */
    private static List<String> pauseAndStep(VmConfig config) throws Exception {
        VirtualMachine vm = new RiscvMachineFactory().create(config);
        vm.setStopWhenIdleForever(true);
        vm.start();
        RiscvVcpu v = (RiscvVcpu) vm.vcpus().get(0);
        List<String> states = new ArrayList<>();
        for (int round = 1; round <= 4; round++) {
            vm.setGuestTimeLimit(round * 123_457L);
            states.add(state(vm.runUntilStop(20_000), v));
            for (int step = 0; step < 7; step++) {
                states.add(state(vm.stepAndWait(0, 5_000), v));
            }
        }
        vm.setGuestTimeLimit(Long.MAX_VALUE);
        states.add(state(vm.runUntilStop(60_000), v));
        states.add("compiled " + (v.interpreter().compiledBlocks() > 0));
        vm.terminate();
        return states;
    }

    private static String state(StopEvent e, RiscvVcpu v) {
        assertNotNull(e, "the VM did not stop");
        return e.reason() + " pc=" + Long.toHexString(v.hart().pc) + " n=" + v.instructions() + " x="
                + Arrays.toString(Arrays.copyOf(v.hart().x, 32));
    }

    /**
     * A sieve in one block: the round loop at the block start, a fill loop and a count loop
     * whose heads are later instructions of the block, a marking loop nested in another loop
     * and a forward branch over it, so compiled runs go back to inner loop heads.
     */
    private static byte[] nestedLoopsImage() {
        MiniAsm a = new MiniAsm();
        a.la(S2, "data").li(S0, 0).li(S1, 200).lui(S7, 0x10000); // s7 = UART THR
        a.label("round").li(T0, 0);
        a.label("fill").add(T2, S2, T0).sb(S1, T2, 0).addi(T0, T0, 1).li(T4, 512).blt(T0, T4, "fill");
        a.li(T0, 2);
        a.label("outer").add(T2, S2, T0).lbu(T3, T2, 0).beq(T3, ZERO, "skip").mul(T1, T0, T0);
        a.label("mark").add(T2, S2, T1).sb(ZERO, T2, 0).add(T1, T1, T0).blt(T1, T4, "mark");
        a.label("skip").addi(T0, T0, 1).li(T5, 23).blt(T0, T5, "outer");
        a.li(T0, 0);
        a.label("count").add(T2, S2, T0).lbu(T3, T2, 0).add(S0, S0, T3).addi(T0, T0, 1).blt(T0, T4, "count");
        a.andi(A2, S0, 15).addi(A2, A2, 'a').sb(A2, S7, 0).addi(S1, S1, -1).bne(S1, ZERO, "round");
        a.li(A2, '\n').sb(A2, S7, 0).shutdown();
        a.org(0x3000).label("data");
        for (int i = 0; i < 64; i++) {
            a.dword(0);
        }
        return a.assemble();
    }

    @Test
    void nestedLoopsInOneBlockRunTheSameAndPauseOnTheSameState() throws Exception {
        VmConfig c = rawGuest("nested", nestedLoopsImage());
        Outcome on = compare(c);
        assertEquals(201, on.console().length(), on.console());
        List<String> off = pauseAndStep(c.withOption("jit", "off"));
        List<String> compiled = pauseAndStep(c.withOption("jit", "on").withOption("jit-threshold", "2"));
        assertEquals("compiled true", compiled.get(compiled.size() - 1));
        assertEquals(off.subList(0, off.size() - 1), compiled.subList(0, compiled.size() - 1));
    }

    @Test
    void pausesAndSingleStepsBetweenCompiledRunsLandOnTheSameState() throws Exception {
        VmConfig c = rawGuest("loops-steps", loopsImage());
        List<String> off = pauseAndStep(c.withOption("jit", "off"));
        List<String> on = pauseAndStep(c.withOption("jit", "on").withOption("jit-threshold", "2"));
        assertEquals("compiled false", off.get(off.size() - 1));
        assertEquals("compiled true", on.get(on.size() - 1));
        assertEquals(off.subList(0, off.size() - 1), on.subList(0, on.size() - 1));
    }

    /** Page tables for Sv39 at image offsets 0x1000 (root), 0x2000, 0x3000: RAM identity-mapped by a gigapage, VA 0x40000000 -> image page 0x4000. */
    private static void pageTables(MiniAsm a) {
        long pteRwx = 0xCF; // V R W X A D
        a.org(0x1000).dword(0).dword(((MiniAsm.BASE + 0x2000) >>> 12) << 10 | 1).dword((0x8000_0000L >>> 12) << 10 | pteRwx);
        a.org(0x2000).dword(((MiniAsm.BASE + 0x3000) >>> 12) << 10 | 1);
        a.org(0x3000).label("l0").dword(((MiniAsm.BASE + 0x4000) >>> 12) << 10 | pteRwx);
    }

    private static void enablePaging(MiniAsm a) {
        a.la(T0, "handler").csrw(STVEC, T0);
        a.li(T0, 8).slli(T0, T0, 60).li(T1, (int) ((MiniAsm.BASE + 0x1000) >>> 12)).or(T0, T0, T1).csrw(SATP, T0)
                .sfenceVma();
    }

    @Test
    void guestPageFaultsInTheMiddleOfABlockAndRemappedCode() throws Exception {
        MiniAsm a = new MiniAsm();
        enablePaging(a);
        // Loads that fault (VA 0x1000 is unmapped) on every 8th pass of a compiled loop.
        a.li(S0, 0).li(T0, 0).li(S1, 500).li(S4, 0).la(S6, "data").li(S5, 0x1000).sub(S5, S5, S6);
        a.label("loop").andi(T2, T0, 7).sltiu(T3, T2, 1).sub(T3, ZERO, T3).and(T4, T3, S5).add(S3, S6, T4)
                .ld(T1, S3, 0).add(S0, S0, T1).addi(S0, S0, 3).sd(S0, S6, 8).addi(T0, T0, 1).blt(T0, S1, "loop");
        // Code at VA 0x40000000, first in page 0x4000, then remapped to page 0x5000.
        a.li(A0, 0).li(S1, 100).lui(S2, 0x40000);
        a.label("c1").jalr(RA, S2, 0).addi(S1, S1, -1).bne(S1, ZERO, "c1");
        a.la(T0, "l0").li(T1, (int) (((MiniAsm.BASE + 0x5000) >>> 12) << 10 | 0xCF)).sd(T1, T0, 0).sfenceVma();
        a.li(S1, 100);
        a.label("c2").jalr(RA, S2, 0).addi(S1, S1, -1).bne(S1, ZERO, "c2");
        a.addi(S7, A0, 0).shutdown();
        a.label("handler").csrr(T5, SEPC).addi(T5, T5, 4).csrw(SEPC, T5).addi(S4, S4, 1).sret();
        pageTables(a);
        a.org(0x4000).addi(A0, A0, 1).ret();
        a.org(0x5000).addi(A0, A0, 1000).ret();
        a.org(0x6000).label("data").dword(0x1234);
        Outcome on = compare(rawGuest("paging", a.assemble()));
        assertEquals(63, on.regs()[0][S4], "page faults taken (t0 = 0, 8, ... 496)");
        assertEquals(100 + 100 * 1000, on.regs()[0][S7], "calls before and after the remap");
    }

    @Test
    void selfModifyingCodeWithFenceI() throws Exception {
        MiniAsm a = new MiniAsm();
        // A hot function, patched (same page as its caller) after 100 calls.
        a.li(A0, 0).li(S1, 100).la(S2, "func");
        a.label("call1").jal(RA, "func").addi(S1, S1, -1).bne(S1, ZERO, "call1");
        a.li(T0, MiniAsm.i(100, A0, 0, A0, 0x13)).sw(T0, S2, 0).fenceI();
        a.li(S1, 100);
        a.label("call2").jal(RA, "func").addi(S1, S1, -1).bne(S1, ZERO, "call2");
        a.addi(S7, A0, 0);
        // A hot loop whose block rewrites one of its own later instructions every pass.
        a.li(S1, 40).li(A2, 0).la(S3, "ahead").li(T5, MiniAsm.i(5, A2, 0, A2, 0x13)).li(T6, MiniAsm.i(1, A2, 0, A2, 0x13));
        a.label("loop4").xor(T5, T5, T6).xor(T6, T6, T5).xor(T5, T5, T6).sw(T5, S3, 0).fenceI();
        a.label("ahead").addi(A2, A2, 1).addi(S1, S1, -1).bne(S1, ZERO, "loop4");
        a.addi(S6, A2, 0).shutdown();
        a.org(0x800).label("func").addi(A0, A0, 1).addi(A0, A0, 0).ret();
        Outcome on = compare(rawGuest("smc", a.assemble()));
        assertEquals(100 + 100 * 100, on.regs()[0][S7], "calls before and after the patch");
        assertEquals(20 * 1 + 20 * 5, on.regs()[0][S6], "the loop that patches itself");
    }

    /**
     * A random loop body (seeded): integer, M and Zba operations, loads and stores at aligned
     * and misaligned offsets of a data page, forward branches, writes to x0.
     */
    private static byte[] randomLoop(long seed) {
        java.util.Random r = new java.util.Random(seed);
        int[] dst = { ZERO, T0, T1, T2, T3, T4, T5, T6, A2, A3, A4, A5, A6, S3, S4, S5, S6, S7 };
        int[] src = { ZERO, T0, T1, T2, T3, T4, T5, T6, A2, A3, A4, A5, A6, S3, S4, S5, S6, S7, S2 };
        MiniAsm a = new MiniAsm();
        a.la(S2, "data").li(S1, 3 + r.nextInt(20));
        for (int reg : dst) {
            if (reg != ZERO) {
                a.li(reg, r.nextInt());
            }
        }
        a.label("loop");
        int pendingLabel = -1;
        int labels = 0;
        for (int k = 0; k < 48; k++) {
            if (pendingLabel == k) {
                a.label("f" + labels++);
            }
            int rd = dst[r.nextInt(dst.length)];
            int x = src[r.nextInt(src.length)];
            int y = src[r.nextInt(src.length)];
            int imm = r.nextInt(4096) - 2048;
            int off = r.nextInt(8) == 0 ? r.nextInt(2040) : r.nextInt(255) * 8;
            switch (r.nextInt(30)) {
                case 0 -> a.add(rd, x, y);
                case 1 -> a.sub(rd, x, y);
                case 2 -> a.xor(rd, x, y);
                case 3 -> a.or(rd, x, y);
                case 4 -> a.and(rd, x, y);
                case 5 -> a.sll(rd, x, y);
                case 6 -> a.sra(rd, x, y);
                case 7 -> a.slt(rd, x, y);
                case 8 -> a.sltu(rd, x, y);
                case 9 -> a.addi(rd, x, imm);
                case 10 -> a.sltiu(rd, x, imm);
                case 11 -> a.slti(rd, x, imm);
                case 12 -> a.srai(rd, x, r.nextInt(64));
                case 13 -> a.srli(rd, x, r.nextInt(64));
                case 14 -> a.addiw(rd, x, imm);
                case 15 -> a.addw(rd, x, y);
                case 16 -> a.sllw(rd, x, y);
                case 17 -> a.sraw(rd, x, y);
                case 18 -> a.mul(rd, x, y);
                case 19 -> a.mulh(rd, x, y);
                case 20 -> a.divu(rd, x, y);
                case 21 -> a.rem(rd, x, y);
                case 22 -> a.lui(rd, r.nextInt(1 << 20));
                case 23 -> a.sh1add(rd, x, y);
                case 24 -> a.ld(rd, S2, off);
                case 25 -> a.lw(rd, S2, off);
                case 26 -> a.lbu(rd, S2, off);
                case 27 -> a.sd(y, S2, off);
                case 28 -> a.sw(y, S2, off);
                default -> {
                    if (pendingLabel <= k) {
                        pendingLabel = k + 2 + r.nextInt(3);
                        String l = "f" + labels;
                        switch (r.nextInt(3)) {
                            case 0 -> a.beq(x, y, l);
                            case 1 -> a.blt(x, y, l);
                            default -> a.bltu(x, y, l);
                        }
                    } else {
                        a.xori(rd, x, imm);
                    }
                }
            }
        }
        if (pendingLabel >= 48) {
            a.label("f" + labels);
        }
        a.addi(S1, S1, -1).bne(S1, ZERO, "loop").shutdown();
        a.org(0x3000).label("data");
        for (int i = 0; i < 512; i++) {
            a.dword(r.nextLong() | 1);
        }
        return a.assemble();
    }

    @Test
    void randomLoopsRunTheSameCompiled() throws Exception {
        for (long seed = 1; seed <= 40; seed++) {
            byte[] image = randomLoop(seed);
            try {
                compare(rawGuest("random-" + seed, image));
            } catch (AssertionError e) {
                throw new AssertionError("random loop, seed " + seed + ": " + e.getMessage(), e);
            }
        }
    }

    @Test
    void badJitOptionsAreOneClearError() throws Exception {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new RiscvMachineFactory().create(GuestRun.config("demo.elf").withOption("jit", "fast")));
        assertTrue(e.getMessage().contains("jit") && e.getMessage().contains("fast"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> new RiscvMachineFactory().create(GuestRun.config("demo.elf").withOption("jit-threshold", "0")));
        assertTrue(e.getMessage().contains("jit-threshold") && e.getMessage().contains("'0'"), e.getMessage());
    }
}
