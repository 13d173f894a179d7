/*
 * Copyright (c) 2026 hvdbg contributors
 * SPDX-License-Identifier: EPL-2.0
 */
package io.hvdbg.x86;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.TreeMap;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import io.hvdbg.core.StopEvent;
import io.hvdbg.core.StopReason;
import io.hvdbg.core.Vcpu;
import io.hvdbg.core.VmConfig;
import io.hvdbg.x86.cpu.X86Vcpu;
import io.hvdbg.x86.jit.X86Jit;

/**
 * The x86 block compiler (io.hvdbg.x86.jit) against the interpreter: every run is made twice,
 * jit=off and jit=on with a threshold of 2 arrivals (so nearly all 64-bit code runs compiled),
 * and must end the same way with the same console, registers, RIP, EFLAGS, retired instruction
 * counts and exits.
 */
class JitDifferentialTest {
    private record Outcome(String end, String console, long[][] regs, long[] rips, long[] flags, long[] instructions,
            TreeMap<String, Long> exits, int compiledBlocks, long blockRuns) {
    }

    private static Outcome outcome(X86Machine vm, StopEvent e) {
        List<? extends Vcpu> vcpus = vm.vcpus();
        int k = vcpus.size();
        long[][] regs = new long[k][];
        long[] rips = new long[k], flags = new long[k], n = new long[k];
        int blocks = 0;
        long runs = 0;
        for (int i = 0; i < k; i++) {
            X86Vcpu v = vm.x86(i);
            regs[i] = Arrays.copyOf(v.regs, 16);
            rips[i] = v.rip;
            flags[i] = v.flags();
            n[i] = v.instructions();
            if (v.blockRunner() instanceof X86Jit j) {
                blocks += j.compiledBlocks();
                runs += j.blockRuns();
            }
        }
        TreeMap<String, Long> exits = new TreeMap<>();
        vm.statistics().report(-1).forEach(r -> exits.merge(r.reason().name(), r.samples(), Long::sum));
        String end = e == null ? "no stop" : e.reason() + " status " + e.exitStatus() + ": " + e.message();
        return new Outcome(end, vm.console().transcript(), regs, rips, flags, n, exits, blocks, runs);
    }

    private static Outcome run(VmConfig config) throws Exception {
        GuestRun r = GuestRun.run(config);
        return outcome(r.vm, r.end);
    }

    private static void assertSame(Outcome off, Outcome on) {
        assertEquals(0, off.compiledBlocks(), "jit=off compiles nothing");
        assertEquals(off.end(), on.end(), "how the run ended");
        assertEquals(off.console(), on.console(), "console");
        assertArrayEquals(off.instructions(), on.instructions(), "retired instructions per vCPU");
        assertArrayEquals(off.rips(), on.rips(), "final RIP per vCPU");
        assertArrayEquals(off.flags(), on.flags(), "final EFLAGS per vCPU");
        for (int i = 0; i < off.regs().length; i++) {
            assertArrayEquals(off.regs()[i], on.regs()[i], "registers of vCPU " + i);
        }
        assertEquals(off.exits(), on.exits(), "exits by reason");
    }

    private static Outcome compare(VmConfig config) throws Exception {
        Outcome off = run(config.withOption("jit", "off"));
        Outcome on = run(config.withOption("jit", "on").withOption("jit-threshold", "2"));
        assertSame(off, on);
        return on;
    }

    @ParameterizedTest
    @CsvSource({ "test-alu64.elf, 1", "test-alu32.elf, 1", "test-sys.elf, 1", "test-sys-elf64.elf, 1",
            "test-paging32.elf, 1", "test-la57.elf, 1", "test-x87.elf, 1", "test-sse.elf, 1", "test-cpuid.elf, 1",
            "test-irq.elf, 1", "test-tlb.elf, 1", "test-acpi.elf, 1", "test-task.elf, 1", "test-triple.elf, 1",
            "test-smp.elf, 2", "demo.elf, 1" })
    void bundledGuestsRunTheSameCompiled(String image, int smp) throws Exception {
        compare(GuestRun.config(image).withSmp(smp));
    }

    @Test
    void tdGuestRunsTheSameCompiled() throws Exception {
        compare(GuestRun.config("test-td.elf").withTdx(true));
    }

    @Test
    void benchGuestRunsCompiled() throws Exception {
        Outcome on = compare(GuestRun.config("bench.elf").withAppend("rounds=1"));
        assertTrue(on.compiledBlocks() > 0 && on.blockRuns() > 1000, on.compiledBlocks() + " blocks, " + on.blockRuns()
                + " runs");
        assertTrue(on.console().contains("bench: rounds 1 checksum"), on.console());
    }

    // ---- hand-made 64-bit code (test-sys-elf64.elf's machine, started in long mode at 0x200000) ----

    private static final long CODE = 0x200000, DATA = 0x280000;

    /** Runs raw 64-bit code at 0x200000 (RBX = 0x280000, a data page) until it writes port 0xf4. */
    private static Outcome runRaw(byte[] code, long[] initialRegs, boolean jit) throws Exception {
        VmConfig c = GuestRun.config("test-sys-elf64.elf").withMemoryMiB(16).withOption("jit", jit ? "on" : "off")
                .withOption("jit-threshold", "2");
        X86Machine vm = (X86Machine) new X86MachineFactory().create(c);
        X86Vcpu v = vm.x86(0);
        vm.memory().write(CODE, code, 0, code.length);
        v.idtBase = 0;
        v.idtLimit = 0; // any exception ends in a triple fault: the two runs must agree on it
        v.rip = CODE;
        System.arraycopy(initialRegs, 0, v.regs, 0, 16);
        v.regs[X86Vcpu.RSP] = 0x300000;
        v.regs[X86Vcpu.RBX] = DATA;
        vm.setStopWhenIdleForever(true);
        StopEvent e = vm.runUntilStop(20_000);
        vm.terminate();
        assertNotNull(e, "raw code did not stop");
        return outcome(vm, e);
    }

    private static Outcome compareRaw(byte[] code, long seed) throws Exception {
        Random rnd = new Random(seed);
        long[] regs = new long[16];
        for (int r = 0; r < 16; r++) {
            regs[r] = switch (rnd.nextInt(4)) {
                case 0 -> rnd.nextInt(256);
                case 1 -> -rnd.nextInt(3);
                case 2 -> 0x8000_0000L + rnd.nextInt(3) - 1;
                default -> rnd.nextLong();
            };
        }
        Outcome off = runRaw(code, regs, false);
        Outcome on = runRaw(code, regs, true);
        assertSame(off, on);
        assertTrue(on.compiledBlocks() > 0, "no block compiled");
        return on;
    }

    /** A little x86-64 encoder for the tests. */
    private static final class Asm {
        final ByteArrayOutputStream b = new ByteArrayOutputStream();

        Asm bytes(int... v) {
            for (int x : v) {
                b.write(x);
            }
            return this;
        }

        Asm imm32(long v) {
            return bytes((int) v & 0xFF, (int) (v >> 8) & 0xFF, (int) (v >> 16) & 0xFF, (int) (v >> 24) & 0xFF);
        }

        int pos() {
            return b.size();
        }

        /** REX (W, reg, rm) when needed, opcode bytes, ModRM with mod 3. */
        Asm rr(boolean w, int[] opcode, int reg, int rm) {
            int rex = (w ? 8 : 0) | (reg >= 8 ? 4 : 0) | (rm >= 8 ? 1 : 0);
            if (rex != 0) {
                bytes(0x40 | rex);
            }
            bytes(opcode);
            return bytes(0xC0 | (reg & 7) << 3 | (rm & 7));
        }

        /** [rbx + disp8] memory operand form. */
        Asm rm(boolean w, int[] opcode, int reg, int disp8) {
            int rex = (w ? 8 : 0) | (reg >= 8 ? 4 : 0);
            if (rex != 0) {
                bytes(0x40 | rex);
            }
            bytes(opcode);
            return bytes(0x40 | (reg & 7) << 3 | 3, disp8 & 0xFF);
        }

        Asm movImm64(int r, long v) {
            bytes(0x48 | (r >= 8 ? 1 : 0), 0xB8 + (r & 7));
            for (int i = 0; i < 8; i++) {
                bytes((int) (v >>> (8 * i)) & 0xFF);
            }
            return this;
        }

        /** jnz rel32 to an earlier position. */
        Asm jnzTo(int target) {
            bytes(0x0F, 0x85);
            return imm32(target - (pos() + 4));
        }

        /** out 0xf4, al: the debug-exit port ends the run. */
        Asm exit() {
            return bytes(0xE6, 0xF4);
        }

        byte[] bytes() {
            return b.toByteArray();
        }
    }

    /** Registers random instructions may change (not RSP, RBX = data pointer, R14 = loop counter). */
    private static final int[] FREE = { 0, 1, 2, 5, 6, 7, 8, 9, 10, 11, 12, 13, 15 };

    private static void randomInstruction(Asm a, Random rnd) {
        int d = FREE[rnd.nextInt(FREE.length)];
        int s = FREE[rnd.nextInt(FREE.length)];
        boolean w = rnd.nextBoolean();
        int disp = rnd.nextInt(32) * 8;
        int[] alu = { 0x01, 0x09, 0x21, 0x29, 0x31, 0x39, 0x85, 0x11, 0x19 }; // add or and sub xor cmp test adc sbb
        switch (rnd.nextInt(17)) {
            case 0, 1, 2 -> a.rr(w, new int[] { alu[rnd.nextInt(alu.length)] }, s, d);
            case 3 -> a.rr(w, new int[] { 0x83 }, rnd.nextInt(8), d).bytes(rnd.nextInt(256)); // op r, imm8
            case 4 -> a.rr(w, new int[] { 0xFF }, rnd.nextInt(2), d); // inc/dec
            case 5 -> a.rr(w, new int[] { 0xF7 }, 2 + rnd.nextInt(2), d); // not/neg
            case 6 -> a.rr(w, new int[] { 0xC1 }, new int[] { 4, 5, 7, 0 }[rnd.nextInt(4)], d)
                    .bytes(rnd.nextInt(70)); // shl shr sar rol by imm8
            case 7 -> a.rr(w, new int[] { 0x0F, 0xAF }, d, s); // imul r, r/m
            case 8 -> a.rr(w, new int[] { 0x6B }, d, s).bytes(rnd.nextInt(256)); // imul r, r/m, imm8
            case 9 -> a.rr(false, new int[] { 0x0F, 0x90 + rnd.nextInt(16) }, 0, d); // setcc
            case 10 -> a.rr(w, new int[] { 0x0F, 0x40 + rnd.nextInt(16) }, d, s); // cmovcc
            case 11 -> a.rm(w, new int[] { alu[rnd.nextInt(7)] }, s, disp); // op [rbx+disp], r
            case 12 -> a.rm(w, new int[] { new int[] { 0x03, 0x2B, 0x8B, 0x33 }[rnd.nextInt(4)] }, d, disp); // r, [m]
            case 13 -> a.rm(w, new int[] { 0x89 }, s, disp); // mov [m], r
            case 14 -> a.rr(w, new int[] { 0x0F, rnd.nextBoolean() ? 0xB6 : 0xBF }, d, s); // movzx/movsx
            case 15 -> {
                // push s; pop d
                a.bytes(s >= 8 ? 0x41 : 0x40, 0x50 + (s & 7));
                a.bytes(d >= 8 ? 0x41 : 0x40, 0x58 + (d & 7));
            }
            default -> {
                // a short Jcc over one instruction: flags read across a block end
                a.bytes(0x70 + rnd.nextInt(16), 3);
                a.rr(true, new int[] { 0x01 }, s, d);
            }
        }
    }

    @ParameterizedTest
    @ValueSource(longs = { 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20 })
    void randomAluSequencesLeaveTheSameRegistersAndFlags(long seed) throws Exception {
        Random rnd = new Random(0xA1 + seed * 7919);
        Asm a = new Asm();
        a.movImm64(14, 40); // loop counter
        int top = a.pos();
        for (int i = 0; i < 24; i++) {
            randomInstruction(a, rnd);
        }
        a.rr(true, new int[] { 0x83 }, 5, 14).bytes(1); // sub r14, 1
        a.jnzTo(top);
        a.exit();
        Outcome on = compareRaw(a.bytes(), seed);
        assertTrue(on.end().startsWith("SHUTDOWN"), on.end());
    }

    /** jb rel32 to an earlier position. */
    private static Asm jbTo(Asm a, int target) {
        a.bytes(0x0F, 0x82);
        return a.imm32(target - (a.pos() + 4));
    }

    /**
     * Nested loops in one block: the round loop, a fill loop and an outer loop are heads at
     * later instructions of the block than its start, the inner loop is nested in the outer one,
     * so compiled runs go back to inner loop heads with flags from the pass before (the inner
     * loop's SETB reads a CF that a CMP or, after its back edge, a DEC left).
     */
    private static byte[] nestedLoopsCode() {
        Asm a = new Asm();
        a.movImm64(14, 120); // r14: rounds
        a.movImm64(2, 7); // rdx: checksum
        int round = a.pos();
        a.bytes(0xB9).imm32(0); // mov ecx, 0
        int fill = a.pos();
        a.bytes(0x48, 0x89, 0x14, 0xCB); // mov [rbx+rcx*8], rdx
        a.bytes(0x48, 0x83, 0xC1, 0x01); // add rcx, 1
        a.bytes(0x48, 0x83, 0xF9, 0x40); // cmp rcx, 64
        jbTo(a, fill);
        a.bytes(0xBE).imm32(0); // mov esi, 0
        int outer = a.pos();
        a.bytes(0xBF).imm32(0); // mov edi, 0
        a.bytes(0x41, 0xB9).imm32(64); // mov r9d, 64
        int inner = a.pos();
        a.bytes(0x0F, 0x92, 0xC1); // setb cl: CF of the CMP before the loop, then the one DEC kept
        a.bytes(0x48, 0x01, 0xCA); // add rdx, rcx
        a.bytes(0x48, 0x8B, 0x04, 0xFB); // mov rax, [rbx+rdi*8]
        a.bytes(0x48, 0x01, 0xF0); // add rax, rsi
        a.bytes(0x48, 0x31, 0xD0); // xor rax, rdx
        a.bytes(0x48, 0x89, 0x04, 0xFB); // mov [rbx+rdi*8], rax
        a.bytes(0x48, 0x83, 0xC7, 0x01); // add rdi, 1
        a.bytes(0x48, 0x83, 0xFF, 0x64); // cmp rdi, 100: CF set, which the DEC keeps
        a.bytes(0x49, 0xFF, 0xC9); // dec r9
        a.jnzTo(inner);
        a.bytes(0x48, 0x01, 0xC2); // add rdx, rax
        a.bytes(0x48, 0x83, 0xC6, 0x01); // add rsi, 1
        a.bytes(0x48, 0x83, 0xFE, 0x0A); // cmp rsi, 10
        jbTo(a, outer);
        a.bytes(0x48, 0x6B, 0xD2, 0x1F); // imul rdx, rdx, 31: eager flags before the round's back edge
        a.rr(true, new int[] { 0x83 }, 5, 14).bytes(1); // sub r14, 1
        a.jnzTo(round);
        a.exit();
        return a.bytes();
    }

    /** Runs the code to guest-time limits, single-steps after each, then to the end. */
    private static List<String> pauseAndStep(byte[] code, boolean jit) throws Exception {
        VmConfig c = GuestRun.config("test-sys-elf64.elf").withMemoryMiB(16).withOption("jit", jit ? "on" : "off")
                .withOption("jit-threshold", "2");
        X86Machine vm = (X86Machine) new X86MachineFactory().create(c);
        X86Vcpu v = vm.x86(0);
        vm.memory().write(CODE, code, 0, code.length);
        v.idtBase = 0;
        v.idtLimit = 0;
        v.rip = CODE;
        v.regs[X86Vcpu.RSP] = 0x300000;
        v.regs[X86Vcpu.RBX] = DATA;
        vm.setStopWhenIdleForever(true);
        List<String> states = new java.util.ArrayList<>();
        try {
            for (int round = 1; round <= 4; round++) {
                vm.setGuestTimeLimit(round * 123_457L);
                states.add(state(vm.runUntilStop(20_000), v));
                for (int step = 0; step < 7; step++) {
                    states.add(state(vm.stepAndWait(0, 5_000), v));
                }
            }
            vm.setGuestTimeLimit(Long.MAX_VALUE);
            states.add(state(vm.runUntilStop(60_000), v));
            states.add("compiled " + (v.blockRunner() instanceof X86Jit j && j.compiledInstructions() > 0));
        } finally {
            vm.terminate();
        }
        return states;
    }

    private static String state(StopEvent e, X86Vcpu v) {
        assertNotNull(e, "the VM did not stop");
        return e.reason() + " rip=" + Long.toHexString(v.rip) + " n=" + v.instructions() + " flags="
                + Long.toHexString(v.flags()) + " regs=" + Arrays.toString(Arrays.copyOf(v.regs, 16));
    }

    @Test
    void nestedLoopsInOneBlockRunTheSameAndPauseOnTheSameState() throws Exception {
        byte[] code = nestedLoopsCode();
        Outcome on = compareRaw(code, 31);
        assertTrue(on.end().startsWith("SHUTDOWN"), on.end());
        assertTrue(on.instructions()[0] > 400_000, "ran the whole nest: " + on.instructions()[0]);
        List<String> off = pauseAndStep(code, false);
        List<String> compiled = pauseAndStep(code, true);
        assertEquals("compiled true", compiled.get(compiled.size() - 1));
        assertEquals(off.subList(0, off.size() - 1), compiled.subList(0, compiled.size() - 1));
        assertTrue(off.get(0).startsWith("PAUSED"), off.get(0));
    }

    @Test
    void accessesThatWalkAcrossPagesAndStraddleThemRunTheSame() throws Exception {
        // Each memory operand reuses the soft-TLB entry it hit last: every pass flips the
        // offset between two pages (so each site changes page inside one block run) and a
        // stride of 7 makes some accesses straddle a page boundary.
        Asm a = new Asm();
        a.movImm64(1, 0); // rcx: offset
        a.movImm64(14, 6000); // passes
        int top = a.pos();
        a.bytes(0x48, 0x8B, 0x04, 0x0B); // mov rax, [rbx+rcx]
        a.bytes(0x48, 0x01, 0xC8); // add rax, rcx
        a.bytes(0x48, 0x89, 0x04, 0x0B); // mov [rbx+rcx], rax
        a.bytes(0x01, 0x44, 0x0B, 0x03); // add [rbx+rcx+3], eax
        a.bytes(0x48, 0x83, 0xC1, 0x07); // add rcx, 7
        a.bytes(0x48, 0x81, 0xF1).imm32(0x1000); // xor rcx, 0x1000
        a.bytes(0x48, 0x81, 0xE1).imm32(0x1FFF); // and rcx, 0x1fff
        a.rr(true, new int[] { 0x83 }, 5, 14).bytes(1); // sub r14, 1
        a.jnzTo(top);
        a.bytes(0x48, 0x8B, 0x93).imm32(0x1FF9); // mov rdx, [rbx+0x1ff9]: a straddling qword to compare
        a.exit();
        Outcome on = compareRaw(a.bytes(), 77);
        assertTrue(on.end().startsWith("SHUTDOWN"), on.end());
        assertTrue(on.regs()[0][1] < 0x2000, "RCX stayed in the two pages");
    }

    @Test
    void faultInsideACompiledBlockIsDeliveredAtItsInstruction() throws Exception {
        // After 30 passes CMOVZ points RSI at a non-canonical address: the load, the second
        // instruction of the compiled loop, raises #GP (no IDT: triple fault). RIP, registers
        // and count must be the faulting instruction's, with the ADD before it retired.
        Asm a = new Asm();
        a.movImm64(6, DATA); // rsi
        a.movImm64(5, 0x8000_0000_0000_0000L); // rbp: non-canonical
        a.movImm64(7, 30); // rdi: passes
        a.movImm64(2, 0);
        int top = a.pos();
        a.bytes(0x48, 0x83, 0xC2, 0x01); // add rdx, 1
        a.bytes(0x48, 0x8B, 0x06); // mov rax, [rsi]
        a.rr(true, new int[] { 0x01 }, 0, 2); // add rdx, rax
        a.bytes(0x48, 0x83, 0xEF, 0x01); // sub rdi, 1
        a.rr(true, new int[] { 0x0F, 0x44 }, 6, 5); // cmovz rsi, rbp
        a.bytes(0xEB).bytes(-(a.pos() + 1 - top) & 0xFF); // jmp top
        a.exit();
        Outcome on = compareRaw(a.bytes(), 99);
        assertEquals(CODE + top + 4, on.rips()[0], "RIP of the faulting load; " + on.end());
        assertEquals(31, on.regs()[0][2], "RDX: the ADD before the load retired in the last pass");
    }

    @Test
    void selfModifyingCodeRunsTheNewBytes() throws Exception {
        // The outer loop rewrites the imm32 of the "add rax, imm32" in its inner loop every pass:
        // each pass must add the value stored in the pass before, compiled or not.
        Asm a = new Asm();
        a.movImm64(0, 0);
        a.movImm64(2, 1);
        a.movImm64(14, 50);
        int outer = a.pos();
        a.bytes(0xB9).imm32(5); // mov ecx, 5
        int inner = a.pos();
        int addAt = a.pos();
        a.bytes(0x48, 0x05).imm32(0); // add rax, imm32 (patched)
        a.bytes(0x83, 0xE9, 0x01); // sub ecx, 1
        a.jnzTo(inner);
        a.rr(true, new int[] { 0x01 }, 2, 2); // add rdx, rdx
        a.bytes(0x48, 0xBF); // movabs rdi, address of the imm32
        long immAddr = CODE + addAt + 2;
        for (int i = 0; i < 8; i++) {
            a.bytes((int) (immAddr >>> (8 * i)) & 0xFF);
        }
        a.bytes(0x89, 0x17); // mov [rdi], edx
        a.rr(true, new int[] { 0x83 }, 5, 14).bytes(1); // sub r14, 1
        a.jnzTo(outer);
        a.exit();
        Outcome on = compareRaw(a.bytes(), 7);
        long expected = 0;
        long imm = 0;
        long edx = 1;
        for (int i = 0; i < 50; i++) {
            expected += 5 * imm;
            edx = (edx * 2) & 0xFFFF_FFFFL;
            imm = (int) edx; // sign-extended imm32
        }
        assertEquals(expected, on.regs()[0][0], "rax after 50 passes of patched adds");
    }

    @Test
    void callsAndReturnsRunCompiled() throws Exception {
        // A loop calling a leaf function that pushes, adds and pops: CALL, RET (with and
        // without an immediate), PUSH and POP inside blocks.
        Asm a = new Asm();
        a.movImm64(0, 3);
        a.movImm64(14, 300);
        int top = a.pos();
        a.bytes(0x57); // push rdi (RET 8 below releases it)
        a.bytes(0xE8);
        int callFix = a.pos();
        a.imm32(0); // call f (patched)
        a.bytes(0xE8);
        int callFix2 = a.pos();
        a.imm32(0); // call g (patched)
        a.rr(true, new int[] { 0x83 }, 5, 14).bytes(1); // sub r14, 1
        a.jnzTo(top);
        a.exit();
        int f = a.pos();
        a.bytes(0x53); // push rbx
        a.rr(true, new int[] { 0x01 }, 0, 2); // add rdx, rax
        a.bytes(0x48, 0x83, 0xC0, 0x07); // add rax, 7
        a.bytes(0x5B); // pop rbx
        a.bytes(0xC2, 0x08, 0x00); // ret 8
        int g = a.pos();
        a.bytes(0x48, 0x31, 0xD0); // xor rax, rdx
        a.bytes(0xC3); // ret
        byte[] code = a.bytes();
        java.nio.ByteBuffer.wrap(code).order(java.nio.ByteOrder.LITTLE_ENDIAN).putInt(callFix, f - (callFix + 4))
                .putInt(callFix2, g - (callFix2 + 4));
        Outcome on = compareRaw(code, 5);
        assertTrue(on.end().startsWith("SHUTDOWN"), on.end());
        assertEquals(0x300000, on.regs()[0][4], "RSP back where it started");
    }

    @Test
    void breakpointsWatchpointsAndStepsStopExactlyWhileCodeIsCompiled() throws Exception {
        // A long compiled loop is paused, then a breakpoint on its second instruction, a write
        // watchpoint on its store and a single step must stop exactly where the interpreter would.
        Asm a = new Asm();
        a.movImm64(2, 0);
        a.movImm64(14, 400_000_000L);
        int top = a.pos();
        a.bytes(0x48, 0x83, 0xC2, 0x01); // add rdx, 1
        int store = a.pos();
        a.rm(true, new int[] { 0x89 }, 2, 8); // mov [rbx+8], rdx
        a.rr(true, new int[] { 0x83 }, 5, 14).bytes(1); // sub r14, 1
        a.jnzTo(top);
        a.exit();
        byte[] code = a.bytes();
        VmConfig c = GuestRun.config("test-sys-elf64.elf").withMemoryMiB(16).withOption("jit-threshold", "2");
        X86Machine vm = (X86Machine) new X86MachineFactory().create(c);
        X86Vcpu v = vm.x86(0);
        vm.memory().write(CODE, code, 0, code.length);
        v.rip = CODE;
        v.regs[X86Vcpu.RSP] = 0x300000;
        v.regs[X86Vcpu.RBX] = DATA;
        try {
            long n = vm.stopCount();
            vm.resume();
            Thread.sleep(300);
            vm.pause();
            StopEvent e = vm.awaitStop(n, 10_000);
            assertNotNull(e, "pause");
            X86Jit jit = (X86Jit) v.blockRunner();
            assertTrue(jit.compiledInstructions() > 1000, "the loop ran compiled: " + jit.compiledInstructions());
            byte[] m = new byte[8];

            vm.breakpoints().add(CODE + store);
            e = vm.runUntilStop(10_000);
            assertEquals(StopReason.BREAKPOINT, e.reason(), String.valueOf(e.message()));
            assertEquals(CODE + store, v.rip);
            vm.memory().read(DATA + 8, m, 0, 8);
            assertEquals(v.regs[2] - 1, java.nio.ByteBuffer.wrap(m).order(java.nio.ByteOrder.LITTLE_ENDIAN).getLong(),
                    "the store of this pass has not happened");
            vm.breakpoints().remove(CODE + store);

            long before = v.instructions();
            e = vm.stepAndWait(0, 5_000);
            assertEquals(StopReason.STEP, e.reason());
            assertEquals(before + 1, v.instructions());
            assertEquals(CODE + store + 4, v.rip);

            vm.watchpoints().add(new io.hvdbg.core.debug.Watchpoint(DATA + 8, 8, io.hvdbg.core.debug.WatchKind.WRITE));
            e = vm.runUntilStop(10_000);
            assertEquals(StopReason.WATCHPOINT, e.reason(), String.valueOf(e.message()));
            vm.memory().read(DATA + 8, m, 0, 8);
            assertEquals(v.regs[2], java.nio.ByteBuffer.wrap(m).order(java.nio.ByteOrder.LITTLE_ENDIAN).getLong());
            assertEquals(before + 1 + 4, v.instructions(), "one more pass: sub, jnz, add, mov");
        } finally {
            vm.terminate();
        }
    }

    @Test
    void randomBytesCompileAtThresholdOneAndRunTheSame() throws Exception {
        // Whatever the decoder makes of random bytes, the compiler must either compile it
        // right or leave it to the interpreter: same end, registers, flags and count.
        int compared = 0;
        long compiled = 0;
        for (int round = 0; round < 40; round++) {
            Random rnd = new Random(0x7e57 + round);
            // 40 random bytes in a loop of 50 passes (when the random instructions let it run)
            Asm a = new Asm();
            a.movImm64(14, 50);
            int top = a.pos();
            for (int i = 0; i < 40; i++) {
                a.bytes(rnd.nextInt(256));
            }
            a.rr(true, new int[] { 0x83 }, 5, 14).bytes(1); // sub r14, 1
            a.jnzTo(top);
            a.exit();
            byte[] code = a.bytes();
            long[] regs = new long[16];
            for (int r = 0; r < 16; r++) {
                regs[r] = CODE + 0x10000 + rnd.nextInt(0x10000); // memory operands mostly hit RAM
            }
            Outcome[] both = new Outcome[2];
            for (int k = 0; k < 2; k++) {
                VmConfig c = GuestRun.config("test-sys-elf64.elf").withMemoryMiB(16)
                        .withOption("jit", k == 0 ? "off" : "on").withOption("jit-threshold", "1");
                X86Machine vm = (X86Machine) new X86MachineFactory().create(c);
                X86Vcpu v = vm.x86(0);
                vm.memory().write(CODE, code, 0, code.length);
                v.idtBase = 0;
                v.idtLimit = 0;
                v.rip = CODE;
                System.arraycopy(regs, 0, v.regs, 0, 16);
                v.regs[X86Vcpu.RSP] = 0x300000;
                vm.setStopWhenIdleForever(true);
                vm.start();
                StopEvent e = vm.runUntilStop(5_000);
                if (e == null || e.reason() == StopReason.EXIT_BREAKPOINT) {
                    vm.terminate();
                    both = null; // random code that loops until the timeout: not comparable
                    break;
                }
                vm.terminate();
                assertTrue(e.message() == null || !e.message().contains("internal error"), e.message());
                both[k] = outcome(vm, e);
            }
            if (both != null) {
                assertSame(both[0], both[1]);
                compared++;
                compiled += both[1].compiledBlocks();
            }
        }
        assertTrue(compared >= 20 && compiled > 0, compared + " rounds compared, " + compiled + " blocks compiled");
    }

    @Test
    void badJitOptionsAreOneClearMessage() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new X86MachineFactory().create(GuestRun.config("demo.elf").withOption("jit", "maybe")));
        assertEquals("bad value 'maybe' for option jit (on or off)", e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> new X86MachineFactory().create(GuestRun.config("demo.elf").withOption("jit-threshold", "0")));
        assertTrue(e.getMessage().contains("jit-threshold"), e.getMessage());
    }

    @Test
    void jitOffInstallsNoBlockRunner() throws Exception {
        X86Machine vm = (X86Machine) new X86MachineFactory().create(GuestRun.config("demo.elf").withOption("jit", "off"));
        assertNull(vm.x86(0).blockRunner());
        vm.terminate();
        X86Machine on = (X86Machine) new X86MachineFactory().create(GuestRun.config("demo.elf"));
        assertTrue(on.x86(0).blockRunner() instanceof X86Jit, "jit is on by default");
        on.terminate();
        assertEquals(StopReason.SHUTDOWN, StopReason.valueOf("SHUTDOWN"));
    }
}
