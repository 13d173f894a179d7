/*
 * Copyright (c) 2026 hvdbg contributors
 * SPDX-License-Identifier: EPL-2.0
 */
package io.hvdbg.riscv.jit;

import static io.hvdbg.riscv.cpu.Op.*;
import static org.objectweb.asm.Opcodes.*;

import java.lang.invoke.MethodHandles;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.objectweb.asm.ClassWriter;
import org.objectweb.asm.Label;
import org.objectweb.asm.MethodVisitor;

import io.hvdbg.core.jit.BlockClassCache;
import io.hvdbg.core.memory.LittleEndian;
import io.hvdbg.riscv.cpu.DecodedPage;
import io.hvdbg.riscv.cpu.Decoder;

/**
 * Turns a run of guest instructions in one decoded page into a {@link BlockCode} hidden class.
 * The block is a superblock: it goes on through conditional branches (a taken one that lands
 * on a later instruction of the block stays in it) and ends at a
 * jal/jalr, at the first instruction it cannot compile (left to the interpreter), at the end
 * of the page or after {@link #MAX_INSNS}. Guest registers live in JVM locals while it runs;
 * loads and stores do the interpreter's micro-TLB hit test inline and leave the block at that
 * instruction on a miss. Every exit knows its pc offset and its instruction count at compile
 * time, so the pc and guest time a block leaves are exact. A branch or jal back to an
 * instruction of the block (its start or an inner loop's head) loops inside the block while
 * the slice has room for another full pass.
 * <p>
 * pc values are computed from the run's {@code pc} argument, never baked in: a physical page
 * mapped at two virtual addresses shares its blocks.
 */
public final class BlockCompiler {
    /** Longest block, in instructions (keeps methods well below HotSpot's huge-method limit). */
    public static final int MAX_INSNS = 64;
    /** Most bytes of guest code one block covers. */
    public static final int MAX_BLOCK_BYTES = 4 * MAX_INSNS;

    private static final BlockClassCache<BlockCode> CODE_CACHE =
            new BlockClassCache<>(MethodHandles.lookup(), BlockCode.class, 2048);
    private static final String STATE = "io/hvdbg/riscv/jit/JitState";
    private static final String LE = "io/hvdbg/core/memory/LittleEndian";

    // Local variable slots of run(JitState s, long pc, long now, long end).
    private static final int L_S = 1;
    private static final int L_PC = 2;
    private static final int L_NOW = 4;
    private static final int L_END = 6;
    private static final int L_REG = 8; // x1..x31 at L_REG + 2 * (r - 1)
    private static final int L_X = 70;
    private static final int L_RTAG = 71;
    private static final int L_RMEM = 72;
    private static final int L_ROFF = 73;
    private static final int L_WTAG = 74;
    private static final int L_WMEM = 75;
    private static final int L_WOFF = 76;
    private static final int L_A = 77;
    private static final int L_I = 79;
    private static final int L_EPC = 80;
    private static final int L_ENOW = 82;
    /** end - length: another pass of the loop fits while now is at most this. */
    private static final int L_LIMIT = 84;
    /**
     * First of the per-access locals: each load or store remembers the last micro-TLB entry it
     * hit (masked address, memory, offset) so a loop that stays in a page skips the table. The
     * micro-TLB cannot change while a block runs (nothing in a block refills or flushes it).
     */
    private static final int L_SITES = 86;
    private static final int SITE_SLOTS = 4;

    private final Decoder decoder;
    private int compiled;

    public BlockCompiler(Decoder decoder) {
        this.decoder = decoder;
    }

    /** Number of blocks compiled so far (including those whose class was already in the code cache). */
    public int compiledCount() {
        return compiled;
    }

    /** True for the operations a block can contain. */
    static boolean compilable(int op) {
        return (op >= LUI && op <= SRAW) || (op >= MUL && op <= BSETI) || op == FENCE;
    }

    private static boolean endsBlock(int op) {
        return op == JAL || op == JALR;
    }

    /** Compiles the block starting at byte {@code offset} of the page, or returns {@link Block#NOT_COMPILABLE}. */
    public Block compile(DecodedPage page, int offset) {
        long[] insns = new long[MAX_INSNS];
        int[] offs = new int[MAX_INSNS];
        int n = 0;
        int off = offset;
        while (n < MAX_INSNS && off <= 0xFFE) {
            int lo = LittleEndian.getU16(page.memory, page.offset + off);
            long d;
            if ((lo & 3) != 3) {
                d = decoder.decode16(lo);
            } else {
                if (off > 0xFFC) {
                    break; // crosses into the next page: the interpreter's
                }
                d = decoder.decode32(LittleEndian.getI32(page.memory, page.offset + off));
            }
            if (!compilable(op(d))) {
                break;
            }
            insns[n] = d;
            offs[n] = off - offset;
            n++;
            off += length(d);
            if (endsBlock(op(d))) {
                break;
            }
        }
        if (n == 0) {
            return Block.NOT_COMPILABLE;
        }
        compiled++;
        // The code depends on the decoded instructions alone: identical blocks share one class.
        int end = off - offset;
        int count = n;
        BlockCode code = CODE_CACHE.get(Arrays.copyOf(insns, n), () -> new Emitter(insns, offs, count, end).generate(),
                "the RISC-V block at page offset 0x" + Integer.toHexString(offset));
        return new Block(code, n, end);
    }

    /** Writes the class of one block. */
    private static final class Emitter {
        private final long[] insns;
        private final int[] offs;
        private final int n;
        private final int endOff;
        private final boolean[] read = new boolean[33];
        private final boolean[] written = new boolean[33];
        private boolean loads;
        private boolean stores;
        private MethodVisitor mv;
        private final Label top = new Label();
        /** The start of each instruction, for forward branches that stay in the block. */
        private final Label[] starts;
        private final Label exit = new Label();
        private final List<Runnable> stubs = new ArrayList<>();
        /** Local base of each load/store's cached micro-TLB entry (-1 for other instructions). */
        private final int[] site;

        Emitter(long[] insns, int[] offs, int n, int endOff) {
            this.insns = insns;
            this.offs = offs;
            this.n = n;
            this.endOff = endOff;
            this.starts = new Label[n];
            this.site = new int[n];
            int next = L_SITES;
            for (int i = 0; i < n; i++) {
                int o = op(insns[i]);
                boolean access = (o >= LB && o <= LWU) || (o >= SB && o <= SD);
                site[i] = access ? next : -1;
                if (access) {
                    next += SITE_SLOTS;
                }
            }
            for (int i = 0; i < n; i++) {
                starts[i] = new Label();
            }
        }

        byte[] generate() {
            for (int i = 0; i < n; i++) {
                long d = insns[i];
                int o = op(d);
                read[rs1(d)] = true;
                read[rs2(d)] = true;
                boolean noDest = (o >= BEQ && o <= BGEU) || (o >= SB && o <= SD) || o == FENCE;
                if (!noDest && rd(d) != SINK) {
                    written[rd(d)] = true;
                }
                loads |= o >= LB && o <= LWU;
                stores |= o >= SB && o <= SD;
            }
            ClassWriter cw = new ClassWriter(ClassWriter.COMPUTE_FRAMES) {
                @Override
                protected String getCommonSuperClass(String a, String b) {
                    return "java/lang/Object";
                }
            };
            cw.visit(V21, ACC_FINAL | ACC_SUPER, "io/hvdbg/riscv/jit/CompiledBlock", null,
                    "io/hvdbg/riscv/jit/BlockCode", null);
            MethodVisitor init = cw.visitMethod(ACC_PUBLIC, "<init>", "()V", null, null);
            init.visitCode();
            init.visitVarInsn(ALOAD, 0);
            init.visitMethodInsn(INVOKESPECIAL, "io/hvdbg/riscv/jit/BlockCode", "<init>", "()V", false);
            init.visitInsn(RETURN);
            init.visitMaxs(0, 0);
            init.visitEnd();

            mv = cw.visitMethod(ACC_PUBLIC, "run", "(L" + STATE + ";JJJ)J", null, null);
            mv.visitCode();
            prologue();
            mv.visitLabel(top);
            boolean ended = false;
            for (int i = 0; i < n && !ended; i++) {
                mv.visitLabel(starts[i]);
                ended = instruction(i);
            }
            if (!ended) {
                exitTo(endOff, n);
            }
            for (Runnable s : stubs) {
                s.run();
            }
            epilogue();
            mv.visitMaxs(0, 0);
            mv.visitEnd();
            cw.visitEnd();
            return cw.toByteArray();
        }

        private void prologue() {
            mv.visitVarInsn(ALOAD, L_S);
            mv.visitFieldInsn(GETFIELD, STATE, "x", "[J");
            mv.visitVarInsn(ASTORE, L_X);
            if (loads) {
                field("rTag", "[J", L_RTAG);
                field("rMem", "[[B", L_RMEM);
                field("rOff", "[I", L_ROFF);
            }
            if (stores) {
                field("wTag", "[J", L_WTAG);
                field("wMem", "[[B", L_WMEM);
                field("wOff", "[I", L_WOFF);
            }
            for (int r = 1; r < 32; r++) {
                if (read[r] || written[r]) {
                    mv.visitVarInsn(ALOAD, L_X);
                    iconst(r);
                    mv.visitInsn(LALOAD);
                    mv.visitVarInsn(LSTORE, reg(r));
                }
            }
            // The exit locals get a value on every path (the verifier wants them definite).
            mv.visitInsn(LCONST_0);
            mv.visitVarInsn(LSTORE, L_EPC);
            mv.visitInsn(LCONST_0);
            mv.visitVarInsn(LSTORE, L_ENOW);
            mv.visitVarInsn(LLOAD, L_END);
            lconst(n);
            mv.visitInsn(LSUB);
            mv.visitVarInsn(LSTORE, L_LIMIT);
            for (int i = 0; i < n; i++) {
                if (site[i] >= 0) {
                    // -1 never equals a masked address (those have bits 3..11 clear).
                    lconst(-1L);
                    mv.visitVarInsn(LSTORE, site[i]);
                    mv.visitInsn(ACONST_NULL);
                    mv.visitVarInsn(ASTORE, site[i] + 2);
                    mv.visitInsn(ICONST_0);
                    mv.visitVarInsn(ISTORE, site[i] + 3);
                }
            }
        }

        private void field(String name, String desc, int local) {
            mv.visitVarInsn(ALOAD, L_S);
            mv.visitFieldInsn(GETFIELD, STATE, name, desc);
            mv.visitVarInsn(ASTORE, local);
        }

        private void epilogue() {
            mv.visitLabel(exit);
            for (int r = 1; r < 32; r++) {
                if (written[r]) {
                    mv.visitVarInsn(ALOAD, L_X);
                    iconst(r);
                    mv.visitVarInsn(LLOAD, reg(r));
                    mv.visitInsn(LASTORE);
                }
            }
            mv.visitVarInsn(ALOAD, L_S);
            mv.visitVarInsn(LLOAD, L_ENOW);
            mv.visitFieldInsn(PUTFIELD, STATE, "timeNs", "J");
            mv.visitVarInsn(LLOAD, L_EPC);
            mv.visitInsn(LRETURN);
        }

        private static int reg(int r) {
            return L_REG + 2 * (r - 1);
        }

        private void iconst(int v) {
            if (v >= -1 && v <= 5) {
                mv.visitInsn(ICONST_0 + v);
            } else if (v >= Byte.MIN_VALUE && v <= Byte.MAX_VALUE) {
                mv.visitIntInsn(BIPUSH, v);
            } else if (v >= Short.MIN_VALUE && v <= Short.MAX_VALUE) {
                mv.visitIntInsn(SIPUSH, v);
            } else {
                mv.visitLdcInsn(v);
            }
        }

        private void lconst(long v) {
            if (v == 0 || v == 1) {
                mv.visitInsn((int) (LCONST_0 + v));
            } else {
                mv.visitLdcInsn(v);
            }
        }

        private void get(int r) {
            if (r == 0) {
                mv.visitInsn(LCONST_0);
            } else {
                mv.visitVarInsn(LLOAD, reg(r));
            }
        }

        private void set(int rd) {
            if (rd == SINK || rd == 0) {
                mv.visitInsn(POP2);
            } else {
                mv.visitVarInsn(LSTORE, reg(rd));
            }
        }

        /** pc + offset (relative to the block start) on the stack. */
        private void pcPlus(long offset) {
            mv.visitVarInsn(LLOAD, L_PC);
            if (offset != 0) {
                lconst(offset);
                mv.visitInsn(LADD);
            }
        }

        /** Leaves the block at pc + offset after {@code count} instructions of this pass. */
        private void exitTo(long offset, int count) {
            pcPlus(offset);
            mv.visitVarInsn(LSTORE, L_EPC);
            mv.visitVarInsn(LLOAD, L_NOW);
            if (count != 0) {
                lconst(count);
                mv.visitInsn(LADD);
            }
            mv.visitVarInsn(LSTORE, L_ENOW);
            mv.visitJumpInsn(GOTO, exit);
        }

        /**
         * Control goes to pc + offset after instruction i: skips ahead when that is a later
         * instruction of the block, loops when it is this or an earlier one (the block start or
         * an inner loop's head), else leaves the block.
         */
        private void jumpTo(long offset, int i) {
            for (int j = i + 1; j < n && offset > offs[i]; j++) {
                if (offs[j] == offset) {
                    // The instructions skipped do not count: take them off the pass's start
                    // time so that "now + index" stays the count at every later exit.
                    if (j > i + 1) {
                        mv.visitVarInsn(LLOAD, L_NOW);
                        lconst(j - i - 1);
                        mv.visitInsn(LSUB);
                        mv.visitVarInsn(LSTORE, L_NOW);
                    }
                    mv.visitJumpInsn(GOTO, starts[j]);
                    return;
                }
            }
            int back = -1;
            for (int j = 0; j <= i; j++) {
                if (offs[j] == offset) {
                    back = j;
                    break;
                }
            }
            if (back < 0) {
                exitTo(offset, i + 1);
                return;
            }
            // Back to instruction j of the block (an inner loop when j > 0): the pass so far
            // counts i + 1 instructions and goes on as if it had started j instructions
            // before j, so that "now + index" stays the count at every later exit.
            mv.visitVarInsn(LLOAD, L_NOW);
            lconst(i + 1 - back);
            mv.visitInsn(LADD);
            mv.visitVarInsn(LSTORE, L_NOW);
            // Go on only if the rest of a pass fits in the slice whatever way it goes (now + n <= end).
            mv.visitVarInsn(LLOAD, L_NOW);
            mv.visitVarInsn(LLOAD, L_LIMIT);
            mv.visitInsn(LCMP);
            mv.visitJumpInsn(IFLE, back == 0 ? top : starts[back]);
            exitTo(offset, back);
        }

        /** Emits instruction i; true if it ends the block. */
        private boolean instruction(int i) {
            long d = insns[i];
            int o = op(d);
            int rd = rd(d);
            int rs1 = rs1(d);
            int rs2 = rs2(d);
            long imm = imm(d);
            int off = offs[i];
            int len = length(d);
            switch (o) {
                case LUI -> { lconst(imm); set(rd); }
                case AUIPC -> { pcPlus(off + imm); set(rd); }
                case JAL -> {
                    pcPlus(off + len);
                    set(rd);
                    jumpTo(off + imm, i);
                    return true;
                }
                case JALR -> {
                    get(rs1);
                    lconst(imm);
                    mv.visitInsn(LADD);
                    lconst(~1L);
                    mv.visitInsn(LAND);
                    mv.visitVarInsn(LSTORE, L_EPC);
                    pcPlus(off + len);
                    set(rd);
                    mv.visitVarInsn(LLOAD, L_NOW);
                    lconst(i + 1);
                    mv.visitInsn(LADD);
                    mv.visitVarInsn(LSTORE, L_ENOW);
                    mv.visitJumpInsn(GOTO, exit);
                    return true;
                }
                case BEQ, BNE, BLT, BGE, BLTU, BGEU -> {
                    get(rs1);
                    get(rs2);
                    if (o == BLTU || o == BGEU) {
                        mv.visitMethodInsn(INVOKESTATIC, "java/lang/Long", "compareUnsigned", "(JJ)I", false);
                    } else {
                        mv.visitInsn(LCMP);
                    }
                    Label notTaken = new Label();
                    int skip = switch (o) {
                        case BEQ -> IFNE;
                        case BNE -> IFEQ;
                        case BLT, BLTU -> IFGE;
                        default -> IFLT;
                    };
                    mv.visitJumpInsn(skip, notTaken);
                    jumpTo(off + imm, i);
                    mv.visitLabel(notTaken);
                }
                case LB, LH, LW, LD, LBU, LHU, LWU -> load(i, o, rd, rs1, imm);
                case SB, SH, SW, SD -> store(i, o, rs1, rs2, imm);
                case ADDI -> { get(rs1); if (imm != 0) { lconst(imm); mv.visitInsn(LADD); } set(rd); }
                case SLTI -> { get(rs1); lconst(imm); mv.visitInsn(LCMP); lessThan(); set(rd); }
                case SLTIU -> { get(rs1); lconst(imm); unsignedLessThan(); set(rd); }
                case XORI -> binImm(rs1, imm, LXOR, rd);
                case ORI -> binImm(rs1, imm, LOR, rd);
                case ANDI -> binImm(rs1, imm, LAND, rd);
                case SLLI -> shiftImm(rs1, imm, LSHL, rd);
                case SRLI -> shiftImm(rs1, imm, LUSHR, rd);
                case SRAI -> shiftImm(rs1, imm, LSHR, rd);
                case ADD -> bin(rs1, rs2, LADD, rd);
                case SUB -> bin(rs1, rs2, LSUB, rd);
                case XOR -> bin(rs1, rs2, LXOR, rd);
                case OR -> bin(rs1, rs2, LOR, rd);
                case AND -> bin(rs1, rs2, LAND, rd);
                case MUL -> bin(rs1, rs2, LMUL, rd);
                case SLL, SRL, SRA -> {
                    get(rs1);
                    get(rs2);
                    mv.visitInsn(L2I);
                    mv.visitInsn(o == SLL ? LSHL : o == SRL ? LUSHR : LSHR);
                    set(rd);
                }
                case SLT -> { get(rs1); get(rs2); mv.visitInsn(LCMP); lessThan(); set(rd); }
                case SLTU -> { get(rs1); get(rs2); unsignedLessThan(); set(rd); }
                case ADDIW -> {
                    get(rs1);
                    mv.visitInsn(L2I);
                    iconst((int) imm);
                    mv.visitInsn(IADD);
                    mv.visitInsn(I2L);
                    set(rd);
                }
                case SLLIW, SRLIW, SRAIW -> {
                    get(rs1);
                    mv.visitInsn(L2I);
                    iconst((int) imm);
                    mv.visitInsn(o == SLLIW ? ISHL : o == SRLIW ? IUSHR : ISHR);
                    mv.visitInsn(I2L);
                    set(rd);
                }
                case ADDW, SUBW, SLLW, SRLW, SRAW, MULW -> {
                    get(rs1);
                    mv.visitInsn(L2I);
                    get(rs2);
                    mv.visitInsn(L2I);
                    mv.visitInsn(switch (o) {
                        case ADDW -> IADD;
                        case SUBW -> ISUB;
                        case SLLW -> ISHL;
                        case SRLW -> IUSHR;
                        case SRAW -> ISHR;
                        default -> IMUL;
                    });
                    mv.visitInsn(I2L);
                    set(rd);
                }
                case SLLI_UW, RORI, RORIW, BCLRI, BEXTI, BINVI, BSETI -> {
                    iconst(o);
                    get(rs1);
                    lconst(imm);
                    alu();
                    set(rd);
                }
                case CLZ, CLZW, CTZ, CTZW, CPOP, CPOPW, SEXT_B, SEXT_H, ZEXT_H, ORC_B, REV8 -> {
                    iconst(o);
                    get(rs1);
                    mv.visitInsn(LCONST_0);
                    alu();
                    set(rd);
                }
                case FENCE -> { }
                default -> { // the remaining M, Zba, Zbb and Zbs register-register operations
                    iconst(o);
                    get(rs1);
                    get(rs2);
                    alu();
                    set(rd);
                }
            }
            return false;
        }

        private void alu() {
            mv.visitMethodInsn(INVOKESTATIC, "io/hvdbg/riscv/cpu/Alu", "compute", "(IJJ)J", false);
        }

        private void bin(int rs1, int rs2, int opcode, int rd) {
            get(rs1);
            get(rs2);
            mv.visitInsn(opcode);
            set(rd);
        }

        private void binImm(int rs1, long imm, int opcode, int rd) {
            get(rs1);
            lconst(imm);
            mv.visitInsn(opcode);
            set(rd);
        }

        private void shiftImm(int rs1, long imm, int opcode, int rd) {
            get(rs1);
            iconst((int) imm);
            mv.visitInsn(opcode);
            set(rd);
        }

        /** lcmp result (-1, 0, 1) to 1 if it is -1, else 0, as a long. */
        private void lessThan() {
            iconst(31);
            mv.visitInsn(IUSHR);
            mv.visitInsn(I2L);
        }

        private void unsignedLessThan() {
            mv.visitMethodInsn(INVOKESTATIC, "java/lang/Long", "compareUnsigned", "(JJ)I", false);
            lessThan();
        }

        /**
         * a = rs1 + imm; leaves the block at instruction i unless the access hits the micro-TLB,
         * else leaves that entry's memory and offset in the access's locals. The entry the
         * access hit last is checked first: one compare while a loop stays in a page.
         */
        private void address(int i, int rs1, long imm, int alignMask, int tagLocal, int memLocal, int offLocal) {
            int cTag = site[i];
            long mask = ~(long) (0xFFF & ~alignMask);
            get(rs1);
            if (imm != 0) {
                lconst(imm);
                mv.visitInsn(LADD);
            }
            mv.visitVarInsn(LSTORE, L_A);
            mv.visitVarInsn(LLOAD, L_A);
            lconst(mask);
            mv.visitInsn(LAND);
            mv.visitVarInsn(LLOAD, cTag);
            mv.visitInsn(LCMP);
            Label hit = new Label();
            mv.visitJumpInsn(IFEQ, hit);
            mv.visitVarInsn(LLOAD, L_A);
            iconst(12);
            mv.visitInsn(LUSHR);
            mv.visitInsn(L2I);
            iconst(255);
            mv.visitInsn(IAND);
            mv.visitVarInsn(ISTORE, L_I);
            mv.visitVarInsn(ALOAD, tagLocal);
            mv.visitVarInsn(ILOAD, L_I);
            mv.visitInsn(LALOAD);
            mv.visitVarInsn(LLOAD, L_A);
            lconst(mask);
            mv.visitInsn(LAND);
            mv.visitInsn(DUP2);
            mv.visitVarInsn(LSTORE, cTag);
            mv.visitInsn(LCMP);
            Label miss = new Label();
            mv.visitJumpInsn(IFNE, miss);
            mv.visitVarInsn(ALOAD, memLocal);
            mv.visitVarInsn(ILOAD, L_I);
            mv.visitInsn(AALOAD);
            mv.visitVarInsn(ASTORE, cTag + 2);
            mv.visitVarInsn(ALOAD, offLocal);
            mv.visitVarInsn(ILOAD, L_I);
            mv.visitInsn(IALOAD);
            mv.visitVarInsn(ISTORE, cTag + 3);
            mv.visitLabel(hit);
            int off = offs[i];
            stubs.add(() -> {
                mv.visitLabel(miss);
                exitTo(off, i);
            });
        }

        /** Pushes the access's memory and the offset of the address at L_A in it. */
        private void memoryAndOffset(int i) {
            mv.visitVarInsn(ALOAD, site[i] + 2);
            mv.visitVarInsn(ILOAD, site[i] + 3);
            mv.visitVarInsn(LLOAD, L_A);
            mv.visitInsn(L2I);
            iconst(0xFFF);
            mv.visitInsn(IAND);
            mv.visitInsn(IADD);
        }

        private static int size(int o) {
            return switch (o) {
                case LB, LBU, SB -> 1;
                case LH, LHU, SH -> 2;
                case LW, LWU, SW -> 4;
                default -> 8;
            };
        }

        private void load(int i, int o, int rd, int rs1, long imm) {
            address(i, rs1, imm, size(o) - 1, L_RTAG, L_RMEM, L_ROFF);
            memoryAndOffset(i);
            switch (o) {
                case LB -> { mv.visitInsn(BALOAD); mv.visitInsn(I2L); }
                case LBU -> { mv.visitInsn(BALOAD); iconst(0xFF); mv.visitInsn(IAND); mv.visitInsn(I2L); }
                case LH -> { leCall("getU16", "([BI)I"); mv.visitInsn(I2S); mv.visitInsn(I2L); }
                case LHU -> { leCall("getU16", "([BI)I"); mv.visitInsn(I2L); }
                case LW -> { leCall("getI32", "([BI)I"); mv.visitInsn(I2L); }
                case LWU -> { leCall("getU32", "([BI)J"); }
                default -> leCall("getI64", "([BI)J");
            }
            set(rd);
        }

        private void store(int i, int o, int rs1, int rs2, long imm) {
            address(i, rs1, imm, size(o) - 1, L_WTAG, L_WMEM, L_WOFF);
            memoryAndOffset(i);
            get(rs2);
            switch (o) {
                case SB -> { mv.visitInsn(L2I); mv.visitInsn(BASTORE); }
                case SH -> { mv.visitInsn(L2I); leCall("putU16", "([BII)V"); }
                case SW -> { mv.visitInsn(L2I); leCall("putI32", "([BII)V"); }
                default -> leCall("putI64", "([BIJ)V");
            }
        }

        private void leCall(String name, String desc) {
            mv.visitMethodInsn(INVOKESTATIC, LE, name, desc, false);
        }
    }
}
