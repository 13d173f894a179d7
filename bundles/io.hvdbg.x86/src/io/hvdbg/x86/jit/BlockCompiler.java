/*
 * Copyright (c) 2026 hvdbg contributors
 * SPDX-License-Identifier: EPL-2.0
 */
package io.hvdbg.x86.jit;

import static io.hvdbg.x86.cpu.JitAccess.*;
import static io.hvdbg.x86.cpu.LazyFlags.*;
import static org.objectweb.asm.Opcodes.*;

import java.lang.invoke.MethodHandles;

import io.hvdbg.core.jit.BlockClassCache;
import io.hvdbg.x86.cpu.JitAccess;

import org.objectweb.asm.ClassWriter;
import org.objectweb.asm.Label;
import org.objectweb.asm.MethodVisitor;

/**
 * Turns a run of decoded 64-bit-mode instructions of one code page into a {@link BlockCode}
 * hidden class. The block is a superblock: a Jcc not taken goes on in the block, a taken one
 * leaves it (or loops, see below). The block ends after a JMP rel, before the first instruction it cannot
 * compile (the interpreter runs that one), at the end of the decoded instructions or after
 * {@link #MAX_INSNS}. A branch back to an instruction of the block (its start or an inner loop's
 * head) loops inside the block while the limit has room for another full pass.
 * <p>
 * Guest registers and the lazy-flag state (operation, operands, result, size, carry, eager
 * flags: the interpreter's own representation) live in JVM locals; every flag-setting
 * instruction stores its operands there and conditions are evaluated from them, so the state a
 * block leaves is the one the interpreter would have left. Memory operands go through the soft
 * TLB (the entry each operand hit last first, then {@link JitRuntime#readEntry}/{@link
 * JitRuntime#writeEntry}; stack accesses through {@link JitRuntime#read}/{@link
 * JitRuntime#write}); a miss leaves the block before the
 * instruction has changed anything and the interpreter runs it (walk, #PF, MMIO, writes to code
 * pages). Every exit has its RIP (relative to the block start) and instruction count fixed at
 * compile time.
 */
public final class BlockCompiler {
    /** Longest block, in instructions (keeps methods well below HotSpot's huge-method limit). */
    public static final int MAX_INSNS = 48;

    private static final BlockClassCache<BlockCode> CODE_CACHE =
            new BlockClassCache<>(MethodHandles.lookup(), BlockCode.class, 4096);
    private static final String STATE = "io/hvdbg/x86/jit/JitState";
    private static final String RT = "io/hvdbg/x86/jit/JitRuntime";
    private static final String FLAGS = "io/hvdbg/x86/cpu/LazyFlags";
    private static final String MISS = "io/hvdbg/x86/jit/JitMiss";
    private static final String LE = "io/hvdbg/core/memory/LittleEndian";

    // locals of run(JitState s, long pc, long limit); the prologue turns limit into limit - n
    private static final int L_S = 1, L_PC = 2, L_LIMIT = 4, L_DONE = 6, L_REGS = 8;
    private static final int F_OP = 9, F_A = 10, F_B = 12, F_R = 14, F_SIZE = 16, F_CARRY = 17, F_EAGER = 18;
    private static final int L_REG = 20; // r0..r15 at L_REG + 2 * r
    private static final int T_LA = 52, T_A = 54, T_B = 56, T_R = 58, T_C = 60, T_REL = 62, T_CNT = 64;
    private static final int T_OFF = 66, T_I = 67;
    /**
     * First of the per-access locals: each memory operand remembers the soft-TLB entry its read
     * and its write hit last (page, data, offset) so a loop that stays in a page skips the table.
     * The soft TLB cannot change while a block runs: walks, A/D updates, writes to code pages
     * and flushes all happen in the interpreter after a miss has left the block.
     */
    private static final int L_SITES = 68, SITE_SLOTS = 4;

    private int compiled;

    /** Blocks compiled so far. */
    public int compiledCount() {
        return compiled;
    }

    /** True for the instructions a block can contain. */
    static boolean compilable(Object d) {
        if (!isInsn(d) || mode(d) != 64 || !plain(d)) {
            return false;
        }
        if (mem(d) && (seg(d) >= 4 || asize(d) < 4)) {
            return false; // FS/GS bases and 16-bit addressing stay with the interpreter
        }
        int op = op(d);
        int sub = sub(d);
        if (op == ALU_RM_R || op == ALU_R_RM || op == ALU_RM_I) {
            return sub != 2 && sub != 3; // ADC and SBB need the carry
        }
        if (op == SHIFT) {
            return imm(d) >= 0 && sub >= 4;
        }
        if (op == MOVZX || op == MOVSX) {
            return sub == 1 || sub == 2;
        }
        if (op == JMP_REL || op == CALL_REL || op == JitAccess.RET || op == PUSH_R || op == POP_R) {
            return size(d) != 2; // 64-bit stack (base 0, no mask) and targets
        }
        return op == TEST_RM_R || op == TEST_RM_I || op == MOV_RM_R || op == MOV_R_RM || op == MOV_RM_I
                || op == MOV_R_I || op == LEA || op == MOVSXD || op == JitAccess.NOP || op == INC || op == DEC || op == NOT
                || op == NEG || op == IMUL_R_RM || op == IMUL_R_RM_I || op == JCC || op == SETCC || op == CMOVCC
                || op == CBW || op == CWD;
    }

    private static boolean endsBlock(Object d) {
        return op(d) == JMP_REL || op(d) == CALL_REL || op(d) == JitAccess.RET;
    }

    private static boolean stackOp(int op) {
        return op == PUSH_R || op == POP_R || op == CALL_REL || op == JitAccess.RET;
    }

    /** Compiles the block at byte {@code offset} of a decoded page, or returns {@link Block#NOT_COMPILABLE}. */
    public Block compile(Object[] page, int offset) {
        Object[] insns = new Object[MAX_INSNS];
        int[] offs = new int[MAX_INSNS];
        int n = 0;
        int off = offset;
        while (n < MAX_INSNS && off < page.length) {
            Object d = page[off];
            if (!compilable(d) || off + len(d) > page.length) {
                break;
            }
            insns[n] = d;
            offs[n] = off - offset;
            n++;
            off += len(d);
            if (endsBlock(d)) {
                break;
            }
        }
        if (n == 0) {
            return Block.NOT_COMPILABLE;
        }
        compiled++;
        // The code depends on the decoded instructions alone (RIPs are relative to the block's
        // start), so identical blocks share one class: in other pages, vCPUs and VMs of this JVM,
        // where HotSpot has compiled it already.
        int end = off - offset;
        int count = n;
        BlockCode code = CODE_CACHE.get(Key.of(insns, n), () -> new Emitter(insns, offs, count, end).generate(),
                "the x86 block at page offset 0x" + Integer.toHexString(offset));
        return new Block(code, n);
    }

    /** Every decoded field the emitted code depends on, instruction by instruction: the class cache's key. */
    private static final class Key {
        static long[] of(Object[] insns, int n) {
            long[] f = new long[n * 8];
            for (int i = 0; i < n; i++) {
                Object d = insns[i];
                int k = i * 8;
                f[k] = op(d) | (long) sub(d) << 16 | (long) size(d) << 32 | (long) asize(d) << 40 | (long) len(d) << 48;
                f[k + 1] = reg(d) & 0xFFFFL | (rm(d) & 0xFFFFL) << 16 | (base(d) & 0xFFFFL) << 32
                        | (index(d) & 0xFFFFL) << 48;
                f[k + 2] = scale(d) | (long) seg(d) << 8 | (mem(d) ? 1L << 16 : 0) | (long) mode(d) << 24
                        | (plain(d) ? 1L << 40 : 0);
                f[k + 3] = disp(d);
                f[k + 4] = imm(d);
            }
            return f;
        }
    }

    /** Writes the class of one block. */
    private static final class Emitter {
        private final Object[] insns;
        private final int[] offs;
        private final int n;
        private final int endOff;
        private final boolean[] used = new boolean[16];
        private MethodVisitor mv;
        private final Label exit = new Label();
        /** Label of each instruction a taken branch of the block goes back to (null for the others). */
        private final Label[] loopHeads;
        /** Local base of each memory operand's remembered read entry (its write entry follows), or -1. */
        private final int[] site;
        private int current;
        /** Flag operation the last flag-setting instruction of the block stored (-1: from before the block). */
        private int knownOp = -1;
        private int knownSize;

        Emitter(Object[] insns, int[] offs, int n, int endOff) {
            this.insns = insns;
            this.offs = offs;
            this.n = n;
            this.endOff = endOff;
            this.loopHeads = new Label[n];
            this.site = new int[n];
            int next = L_SITES;
            for (int i = 0; i < n; i++) {
                Object d = insns[i];
                boolean access = mem(d) && op(d) != LEA && op(d) != JitAccess.NOP && !stackOp(op(d));
                site[i] = access ? next : -1;
                if (access) {
                    next += 2 * SITE_SLOTS;
                }
            }
            for (int i = 0; i < n; i++) {
                Object d = insns[i];
                if (op(d) == JCC || op(d) == JMP_REL) {
                    int j = backTarget(offs[i] + len(d) + imm(d), i);
                    if (j >= 0 && loopHeads[j] == null) {
                        loopHeads[j] = new Label();
                    }
                }
            }
        }

        /** Index of the instruction at or before i that starts at block offset target, or -1. */
        private int backTarget(long target, int i) {
            for (int j = 0; j <= i; j++) {
                if (offs[j] == target) {
                    return j;
                }
            }
            return -1;
        }

        private void use(int r) {
            if (r >= 0) {
                int i = (r & HIGH_BYTE) != 0 ? r & 3 : r;
                if (i < 16) {
                    used[i] = true; // BASE_RIP (16) is no register
                }
            }
        }

        byte[] generate() {
            for (int i = 0; i < n; i++) {
                Object d = insns[i];
                use(reg(d));
                if (mem(d)) {
                    use(base(d));
                    use(index(d));
                } else {
                    use(rm(d));
                }
                if (stackOp(op(d))) {
                    used[4] = true;
                }
                if (op(d) == CBW || op(d) == CWD) {
                    used[0] = true;
                    used[2] = true;
                }
            }
            ClassWriter cw = new ClassWriter(ClassWriter.COMPUTE_FRAMES) {
                @Override
                protected String getCommonSuperClass(String a, String b) {
                    return "java/lang/Object";
                }
            };
            cw.visit(V21, ACC_FINAL | ACC_SUPER, "io/hvdbg/x86/jit/CompiledBlock", null, "io/hvdbg/x86/jit/BlockCode",
                    null);
            MethodVisitor init = cw.visitMethod(ACC_PUBLIC, "<init>", "()V", null, null);
            init.visitCode();
            init.visitVarInsn(ALOAD, 0);
            init.visitMethodInsn(INVOKESPECIAL, "io/hvdbg/x86/jit/BlockCode", "<init>", "()V", false);
            init.visitInsn(RETURN);
            init.visitMaxs(0, 0);
            init.visitEnd();

            mv = cw.visitMethod(ACC_PUBLIC, "run", "(L" + STATE + ";JJ)J", null, null);
            mv.visitCode();
            prologue();
            knownOp = -1;
            boolean ended = false;
            for (int i = 0; i < n && !ended; i++) {
                ended = instruction(i);
            }
            if (!ended) {
                exitTo(endOff, n);
            }
            epilogue();
            mv.visitMaxs(0, 0);
            mv.visitEnd();
            cw.visitEnd();
            return cw.toByteArray();
        }

        private void prologue() {
            mv.visitVarInsn(ALOAD, L_S);
            mv.visitFieldInsn(GETFIELD, STATE, "regs", "[J");
            mv.visitVarInsn(ASTORE, L_REGS);
            for (int r = 0; r < 16; r++) {
                if (used[r]) {
                    mv.visitVarInsn(ALOAD, L_REGS);
                    iconst(r);
                    mv.visitInsn(LALOAD);
                    mv.visitVarInsn(LSTORE, L_REG + 2 * r);
                }
            }
            getField("ccOp", "I", F_OP);
            getField("ccA", "J", F_A);
            getField("ccB", "J", F_B);
            getField("ccRes", "J", F_R);
            getField("ccSize", "I", F_SIZE);
            getField("ccCarry", "I", F_CARRY);
            getField("ccEager", "I", F_EAGER);
            lconst(0);
            mv.visitVarInsn(LSTORE, L_DONE);
            // another pass fits while done <= limit - n: computed once, tested on every back edge
            mv.visitVarInsn(LLOAD, L_LIMIT);
            lconst(n);
            mv.visitInsn(LSUB);
            mv.visitVarInsn(LSTORE, L_LIMIT);
            // temporaries get a value on every path (the verifier wants them definite at the exit)
            for (int t : new int[] {T_LA, T_A, T_B, T_R, T_REL, T_CNT}) {
                lconst(0);
                mv.visitVarInsn(LSTORE, t);
            }
            iconst(0);
            mv.visitVarInsn(ISTORE, T_C);
            iconst(0);
            mv.visitVarInsn(ISTORE, T_OFF);
            iconst(0);
            mv.visitVarInsn(ISTORE, T_I);
            for (int i = 0; i < n; i++) {
                for (int k = 0; site[i] >= 0 && k < 2; k++) {
                    int c = site[i] + k * SITE_SLOTS;
                    lconst(-1L); // never a page address (those have bits 0..11 clear)
                    mv.visitVarInsn(LSTORE, c);
                    mv.visitInsn(ACONST_NULL);
                    mv.visitVarInsn(ASTORE, c + 2);
                    iconst(0);
                    mv.visitVarInsn(ISTORE, c + 3);
                }
            }
        }

        /** The common exit: registers and flags back to the state, RIP = pc + T_REL, return done + T_CNT. */
        private void epilogue() {
            mv.visitLabel(exit);
            for (int r = 0; r < 16; r++) {
                if (used[r]) {
                    mv.visitVarInsn(ALOAD, L_REGS);
                    iconst(r);
                    mv.visitVarInsn(LLOAD, L_REG + 2 * r);
                    mv.visitInsn(LASTORE);
                }
            }
            putField("ccOp", "I", F_OP);
            putField("ccA", "J", F_A);
            putField("ccB", "J", F_B);
            putField("ccRes", "J", F_R);
            putField("ccSize", "I", F_SIZE);
            putField("ccCarry", "I", F_CARRY);
            putField("ccEager", "I", F_EAGER);
            mv.visitVarInsn(ALOAD, L_S);
            mv.visitVarInsn(LLOAD, L_PC);
            mv.visitVarInsn(LLOAD, T_REL);
            mv.visitInsn(LADD);
            mv.visitFieldInsn(PUTFIELD, STATE, "rip", "J");
            mv.visitVarInsn(LLOAD, L_DONE);
            mv.visitVarInsn(LLOAD, T_CNT);
            mv.visitInsn(LADD);
            mv.visitInsn(LRETURN);
        }

        private void getField(String name, String desc, int local) {
            mv.visitVarInsn(ALOAD, L_S);
            mv.visitFieldInsn(GETFIELD, STATE, name, desc);
            mv.visitVarInsn(desc.equals("J") ? LSTORE : ISTORE, local);
        }

        private void putField(String name, String desc, int local) {
            mv.visitVarInsn(ALOAD, L_S);
            mv.visitVarInsn(desc.equals("J") ? LLOAD : ILOAD, local);
            mv.visitFieldInsn(PUTFIELD, STATE, name, desc);
        }

        /** Leaves the block at RIP pc + rel with {@code count} more instructions retired. */
        private void exitTo(long rel, int count) {
            lconst(rel);
            mv.visitVarInsn(LSTORE, T_REL);
            lconst(count);
            mv.visitVarInsn(LSTORE, T_CNT);
            mv.visitJumpInsn(GOTO, exit);
        }

        // ---- one instruction ----

        /** Emits instruction i; returns true when it ended the block. */
        private boolean instruction(int i) {
            Object d = insns[i];
            int op = op(d);
            int size = size(d);
            Label start = new Label();
            Label end = new Label();
            current = i;
            if (loopHeads[i] != null) {
                mv.visitLabel(loopHeads[i]);
                knownOp = -1; // the back edge brings whatever flag state the pass left
            }
            mv.visitLabel(start);
            boolean touchesMemory = stackOp(op) || mem(d) && op != LEA && op != JitAccess.NOP;
            if (touchesMemory && !stackOp(op)) {
                ea(d, offs[i]);
                mv.visitVarInsn(LSTORE, T_LA);
            }
            if (op == ALU_RM_R || op == ALU_R_RM || op == ALU_RM_I || op == TEST_RM_R || op == TEST_RM_I) {
                int sub = op == TEST_RM_R || op == TEST_RM_I ? 4 : sub(d);
                if (op == ALU_R_RM) {
                    getReg(size, reg(d));
                    mv.visitVarInsn(LSTORE, T_A);
                    readRm(d, size);
                    mv.visitVarInsn(LSTORE, T_B);
                } else {
                    readRm(d, size);
                    mv.visitVarInsn(LSTORE, T_A);
                    if (op == ALU_RM_I || op == TEST_RM_I) {
                        lconst(imm(d) & mask(size));
                    } else {
                        getReg(size, reg(d));
                    }
                    mv.visitVarInsn(LSTORE, T_B);
                }
                mv.visitVarInsn(LLOAD, T_A);
                mv.visitVarInsn(LLOAD, T_B);
                int kind;
                switch (sub) {
                    case 0 -> { mv.visitInsn(LADD); maskTo(size); kind = CC_ADD; }
                    case 1 -> { mv.visitInsn(LOR); kind = CC_LOGIC; }
                    case 4 -> { mv.visitInsn(LAND); kind = CC_LOGIC; }
                    case 6 -> { mv.visitInsn(LXOR); kind = CC_LOGIC; }
                    default -> { mv.visitInsn(LSUB); maskTo(size); kind = CC_SUB; }
                }
                mv.visitVarInsn(LSTORE, T_R);
                boolean writes = sub != 7 && op != TEST_RM_R && op != TEST_RM_I;
                if (writes) {
                    if (op == ALU_R_RM) {
                        mv.visitVarInsn(LLOAD, T_R);
                        setReg(size, reg(d));
                    } else {
                        writeRm(d, size, T_R);
                    }
                }
                setFlags(kind, size);
            } else if (op == MOV_RM_R) {
                getReg(size, reg(d));
                mv.visitVarInsn(LSTORE, T_R);
                writeRm(d, size, T_R);
            } else if (op == MOV_R_RM) {
                readRm(d, size);
                setReg(size, reg(d));
            } else if (op == MOV_RM_I) {
                lconst(imm(d));
                mv.visitVarInsn(LSTORE, T_R);
                writeRm(d, size, T_R);
            } else if (op == MOV_R_I) {
                lconst(imm(d));
                setReg(size, reg(d));
            } else if (op == LEA) {
                ea(d, offs[i]);
                setReg(size, reg(d));
            } else if (op == MOVZX || op == MOVSX) {
                readRm(d, sub(d));
                if (op == MOVSX) {
                    sext(sub(d));
                }
                setReg(size, reg(d));
            } else if (op == MOVSXD) {
                if (size == 8) {
                    readRm(d, 4);
                    sext(4);
                } else {
                    readRm(d, size);
                }
                setReg(size, reg(d));
            } else if (op == JitAccess.NOP) {
                // nothing
            } else if (op == INC || op == DEC) {
                pushFlagState();
                mv.visitMethodInsn(INVOKESTATIC, FLAGS, "cf", "(IJJJIII)I", false);
                mv.visitVarInsn(ISTORE, T_C);
                readRm(d, size);
                mv.visitVarInsn(LSTORE, T_A);
                mv.visitVarInsn(LLOAD, T_A);
                lconst(1);
                mv.visitInsn(op == INC ? LADD : LSUB);
                maskTo(size);
                mv.visitVarInsn(LSTORE, T_R);
                writeRm(d, size, T_R);
                lconst(1);
                mv.visitVarInsn(LSTORE, T_B);
                setFlags(op == INC ? CC_INC : CC_DEC, size);
                mv.visitVarInsn(ILOAD, T_C);
                mv.visitVarInsn(ISTORE, F_CARRY);
            } else if (op == NOT) {
                readRm(d, size);
                lconst(-1);
                mv.visitInsn(LXOR);
                mv.visitVarInsn(LSTORE, T_R);
                writeRm(d, size, T_R);
            } else if (op == NEG) {
                readRm(d, size);
                mv.visitVarInsn(LSTORE, T_B);
                lconst(0);
                mv.visitVarInsn(LSTORE, T_A);
                lconst(0);
                mv.visitVarInsn(LLOAD, T_B);
                mv.visitInsn(LSUB);
                maskTo(size);
                mv.visitVarInsn(LSTORE, T_R);
                writeRm(d, size, T_R);
                setFlags(CC_SUB, size);
            } else if (op == IMUL_R_RM || op == IMUL_R_RM_I) {
                if (op == IMUL_R_RM) {
                    getReg(size, reg(d));
                    mv.visitVarInsn(LSTORE, T_A);
                    readRm(d, size);
                    mv.visitVarInsn(LSTORE, T_B);
                } else {
                    readRm(d, size);
                    mv.visitVarInsn(LSTORE, T_A);
                    lconst(imm(d));
                    mv.visitVarInsn(LSTORE, T_B);
                }
                mv.visitVarInsn(LLOAD, T_A);
                mv.visitVarInsn(LLOAD, T_B);
                iconst(size);
                mv.visitMethodInsn(INVOKESTATIC, FLAGS, "imul", "(JJI)J", false);
                setReg(size, reg(d));
                mv.visitVarInsn(LLOAD, T_A);
                mv.visitVarInsn(LLOAD, T_B);
                iconst(size);
                mv.visitMethodInsn(INVOKESTATIC, FLAGS, "imulFlags", "(JJI)I", false);
                setEager();
            } else if (op == SHIFT) {
                int count = (int) imm(d) & (size == 8 ? 63 : 31);
                readRm(d, size);
                mv.visitVarInsn(LSTORE, T_A);
                if (count == 0) {
                    writeRm(d, size, T_A); // no flags; a 32-bit register is still zero-extended
                } else {
                    iconst(sub(d));
                    mv.visitVarInsn(LLOAD, T_A);
                    iconst(count);
                    iconst(size);
                    mv.visitMethodInsn(INVOKESTATIC, FLAGS, "shift", "(IJII)J", false);
                    mv.visitVarInsn(LSTORE, T_R);
                    writeRm(d, size, T_R);
                    iconst(sub(d));
                    mv.visitVarInsn(LLOAD, T_A);
                    iconst(count);
                    iconst(size);
                    mv.visitMethodInsn(INVOKESTATIC, FLAGS, "shiftFlags", "(IJII)I", false);
                    setEager();
                }
            } else if (op == SETCC) {
                cond(sub(d));
                mv.visitInsn(I2L);
                mv.visitVarInsn(LSTORE, T_R);
                writeRm(d, 1, T_R);
            } else if (op == CMOVCC) {
                readRm(d, size);
                mv.visitVarInsn(LSTORE, T_R);
                Label no = new Label();
                Label done = new Label();
                cond(sub(d));
                mv.visitJumpInsn(IFEQ, no);
                mv.visitVarInsn(LLOAD, T_R);
                setReg(size, reg(d));
                mv.visitJumpInsn(GOTO, done);
                mv.visitLabel(no);
                if (size == 4) {
                    mv.visitVarInsn(LLOAD, regLocal(reg(d)));
                    setReg(4, reg(d));
                }
                mv.visitLabel(done);
            } else if (op == CBW) {
                int half = size / 2;
                getReg(half, 0);
                sext(half);
                setReg(size, 0);
            } else if (op == CWD) {
                getReg(size, 0);
                sext(size);
                iconst(63);
                mv.visitInsn(LSHR); // -1 when negative, else 0
                setReg(size, 2);
            } else if (op == PUSH_R || op == CALL_REL) {
                // X86Vcpu.push in 64-bit mode: write below RSP first (a miss changes nothing), then move RSP
                if (op == PUSH_R) {
                    getReg(size, reg(d));
                } else {
                    mv.visitVarInsn(LLOAD, L_PC);
                    lconst(offs[i] + len(d));
                    mv.visitInsn(LADD);
                }
                mv.visitVarInsn(LSTORE, T_R);
                mv.visitVarInsn(LLOAD, regLocal(4));
                lconst(size);
                mv.visitInsn(LSUB);
                mv.visitVarInsn(LSTORE, T_LA);
                mv.visitVarInsn(ALOAD, L_S);
                mv.visitVarInsn(LLOAD, T_LA);
                iconst(size);
                mv.visitVarInsn(LLOAD, T_R);
                mv.visitMethodInsn(INVOKESTATIC, RT, "write", "(L" + STATE + ";JIJ)V", false);
                mv.visitVarInsn(LLOAD, T_LA);
                mv.visitVarInsn(LSTORE, regLocal(4));
                if (op == CALL_REL) {
                    mv.visitLabel(end);
                    missHandler(start, end, i);
                    exitTo(offs[i] + len(d) + imm(d), i + 1);
                    return true;
                }
            } else if (op == POP_R || op == JitAccess.RET) {
                mv.visitVarInsn(LLOAD, regLocal(4));
                mv.visitVarInsn(LSTORE, T_LA);
                mv.visitVarInsn(ALOAD, L_S);
                mv.visitVarInsn(LLOAD, T_LA);
                iconst(size);
                mv.visitMethodInsn(INVOKESTATIC, RT, "read", "(L" + STATE + ";JI)J", false);
                mv.visitVarInsn(LSTORE, T_R);
                mv.visitVarInsn(LLOAD, T_LA);
                lconst(size + (op == JitAccess.RET ? imm(d) : 0));
                mv.visitInsn(LADD);
                mv.visitVarInsn(LSTORE, regLocal(4));
                if (op == POP_R) {
                    mv.visitVarInsn(LLOAD, T_R);
                    setReg(size, reg(d));
                } else {
                    mv.visitLabel(end);
                    missHandler(start, end, i);
                    // RET leaves for the popped address, known only now
                    mv.visitVarInsn(LLOAD, T_R);
                    mv.visitVarInsn(LLOAD, L_PC);
                    mv.visitInsn(LSUB);
                    mv.visitVarInsn(LSTORE, T_REL);
                    lconst(i + 1);
                    mv.visitVarInsn(LSTORE, T_CNT);
                    mv.visitJumpInsn(GOTO, exit);
                    return true;
                }
            } else if (op == JCC || op == JMP_REL) {
                long next = offs[i] + len(d);
                long target = next + imm(d);
                if (op == JCC) {
                    Label notTaken = new Label();
                    cond(sub(d));
                    mv.visitJumpInsn(IFEQ, notTaken);
                    taken(target, i);
                    mv.visitLabel(notTaken);
                    if (i < n - 1) {
                        return false; // not taken: the block goes on
                    }
                    exitTo(next, i + 1);
                } else {
                    taken(target, i);
                }
                return true;
            } else {
                throw new IllegalStateException("not compilable: op " + op);
            }
            mv.visitLabel(end);
            if (touchesMemory) {
                missHandler(start, end, i);
            }
            return false;
        }

        /** A soft-TLB miss between start and end leaves the block before instruction i. */
        private void missHandler(Label start, Label end, int i) {
            Label miss = new Label();
            mv.visitTryCatchBlock(start, end, miss, MISS);
            Label after = new Label();
            mv.visitJumpInsn(GOTO, after);
            mv.visitLabel(miss);
            mv.visitInsn(POP);
            exitTo(offs[i], i);
            mv.visitLabel(after);
        }

        /**
         * A taken branch of instruction i to block offset {@code target}: loops when that is this
         * or an earlier instruction j of the block (the start or an inner loop's head), else leaves.
         */
        private void taken(long target, int i) {
            int j = backTarget(target, i);
            if (j < 0) {
                exitTo(target, i + 1);
                return;
            }
            // The pass so far retired i + 1 instructions; it goes on as if it had started j
            // instructions before j, so that done + index stays the count at every later exit.
            mv.visitVarInsn(LLOAD, L_DONE);
            lconst(i + 1 - j);
            mv.visitInsn(LADD);
            mv.visitVarInsn(LSTORE, L_DONE);
            // Go on only if the rest of a pass fits whatever way it goes (done + n <= limit).
            mv.visitVarInsn(LLOAD, L_DONE);
            mv.visitVarInsn(LLOAD, L_LIMIT);
            mv.visitInsn(LCMP);
            mv.visitJumpInsn(IFLE, loopHeads[j]);
            exitTo(target, j);
        }

        // ---- flags ----

        private void setFlags(int kind, int size) {
            iconst(kind);
            mv.visitVarInsn(ISTORE, F_OP);
            mv.visitVarInsn(LLOAD, T_A);
            mv.visitVarInsn(LSTORE, F_A);
            mv.visitVarInsn(LLOAD, T_B);
            mv.visitVarInsn(LSTORE, F_B);
            mv.visitVarInsn(LLOAD, T_R);
            mv.visitVarInsn(LSTORE, F_R);
            iconst(size);
            mv.visitVarInsn(ISTORE, F_SIZE);
            knownOp = kind;
            knownSize = size;
        }

        /** Eager flags on the stack (an int): the lazy state becomes CC_EAGER with them. */
        private void setEager() {
            mv.visitVarInsn(ISTORE, F_EAGER);
            iconst(CC_EAGER);
            mv.visitVarInsn(ISTORE, F_OP);
            knownOp = CC_EAGER;
        }

        private void pushFlagState() {
            mv.visitVarInsn(ILOAD, F_OP);
            mv.visitVarInsn(LLOAD, F_A);
            mv.visitVarInsn(LLOAD, F_B);
            mv.visitVarInsn(LLOAD, F_R);
            mv.visitVarInsn(ILOAD, F_SIZE);
            mv.visitVarInsn(ILOAD, F_CARRY);
            mv.visitVarInsn(ILOAD, F_EAGER);
        }

        /** Pushes condition cc (an int, 0 or 1); inline for a CMP/SUB or logic result of this block. */
        private void cond(int cc) {
            int c = cc >> 1;
            int jump = -1;
            if (knownOp == CC_SUB && (c == 1 || c == 2 || c == 3 || c == 6 || c == 7)) {
                if (c == 6 || c == 7) {
                    mv.visitVarInsn(LLOAD, F_A);
                    sext(knownSize);
                    mv.visitVarInsn(LLOAD, F_B);
                    sext(knownSize);
                    mv.visitInsn(LCMP);
                } else if (c == 2) {
                    mv.visitVarInsn(LLOAD, F_A);
                    mv.visitVarInsn(LLOAD, F_B);
                    mv.visitInsn(LCMP);
                } else {
                    mv.visitVarInsn(LLOAD, F_A);
                    mv.visitVarInsn(LLOAD, F_B);
                    mv.visitMethodInsn(INVOKESTATIC, "java/lang/Long", "compareUnsigned", "(JJ)I", false);
                }
                jump = switch (c) {
                    case 1, 6 -> IFLT;
                    case 2 -> IFEQ;
                    default -> IFLE;
                };
            } else if (knownOp == CC_LOGIC && (c == 2 || c == 3 || c == 4 || c == 6)) {
                mv.visitVarInsn(LLOAD, F_R);
                if (c == 4 || c == 6) {
                    lconst(signBit(knownSize));
                    mv.visitInsn(LAND);
                }
                lconst(0);
                mv.visitInsn(LCMP);
                jump = c == 2 || c == 3 ? IFEQ : IFNE;
            } else if (knownOp == CC_LOGIC && (c == 0 || c == 1)) {
                iconst(0);
            } else {
                pushFlagState();
                iconst(cc & ~1);
                mv.visitMethodInsn(INVOKESTATIC, FLAGS, "cond", "(IJJJIIII)Z", false);
            }
            if (jump >= 0) {
                Label yes = new Label();
                Label done = new Label();
                mv.visitJumpInsn(jump, yes);
                iconst(0);
                mv.visitJumpInsn(GOTO, done);
                mv.visitLabel(yes);
                iconst(1);
                mv.visitLabel(done);
            }
            if ((cc & 1) != 0) {
                iconst(1);
                mv.visitInsn(IXOR);
            }
        }

        // ---- operands ----

        private static int regLocal(int r) {
            return L_REG + 2 * ((r & HIGH_BYTE) != 0 ? r & 3 : r);
        }

        /** Pushes the effective address (a long) of the memory operand of an instruction at block offset off. */
        private void ea(Object d, int off) {
            lconst(disp(d));
            int b = base(d);
            if (b == BASE_RIP) {
                mv.visitVarInsn(LLOAD, L_PC);
                mv.visitInsn(LADD);
                lconst(off + len(d));
                mv.visitInsn(LADD);
            } else if (b >= 0) {
                mv.visitVarInsn(LLOAD, regLocal(b));
                mv.visitInsn(LADD);
            }
            if (index(d) >= 0) {
                mv.visitVarInsn(LLOAD, regLocal(index(d)));
                if (scale(d) != 0) {
                    iconst(scale(d));
                    mv.visitInsn(LSHL);
                }
                mv.visitInsn(LADD);
            }
            if (asize(d) == 4) {
                maskTo(4);
            }
        }

        /**
         * Pushes the data array and index of the access at T_LA of the current instruction: the
         * entry it used last when the page matches, else the table's (a miss leaves the block).
         */
        private void entry(int size, boolean write) {
            int c = site[current] + (write ? SITE_SLOTS : 0);
            Label slow = new Label();
            Label hit = new Label();
            mv.visitVarInsn(LLOAD, T_LA);
            mv.visitInsn(L2I);
            iconst(0xFFF);
            mv.visitInsn(IAND);
            mv.visitVarInsn(ISTORE, T_OFF);
            if (size > 1) {
                mv.visitVarInsn(ILOAD, T_OFF);
                iconst(0x1000 - size);
                mv.visitJumpInsn(IF_ICMPGT, slow); // crosses the page: the table lookup misses
            }
            mv.visitVarInsn(LLOAD, T_LA);
            lconst(~0xFFFL);
            mv.visitInsn(LAND);
            mv.visitVarInsn(LLOAD, c);
            mv.visitInsn(LCMP);
            mv.visitJumpInsn(IFNE, slow);
            mv.visitLabel(hit);
            mv.visitVarInsn(ALOAD, c + 2);
            mv.visitVarInsn(ILOAD, c + 3);
            mv.visitVarInsn(ILOAD, T_OFF);
            mv.visitInsn(IADD);
            Label done = new Label();
            mv.visitJumpInsn(GOTO, done);
            mv.visitLabel(slow);
            mv.visitVarInsn(ALOAD, L_S);
            mv.visitVarInsn(LLOAD, T_LA);
            iconst(size);
            mv.visitMethodInsn(INVOKESTATIC, RT, write ? "writeEntry" : "readEntry", "(L" + STATE + ";JI)I", false);
            mv.visitVarInsn(ISTORE, T_I);
            mv.visitVarInsn(ALOAD, L_S);
            mv.visitFieldInsn(GETFIELD, STATE, "data", "[[B");
            mv.visitVarInsn(ILOAD, T_I);
            mv.visitInsn(AALOAD);
            mv.visitVarInsn(ASTORE, c + 2);
            mv.visitVarInsn(ALOAD, L_S);
            mv.visitFieldInsn(GETFIELD, STATE, "offset", "[I");
            mv.visitVarInsn(ILOAD, T_I);
            mv.visitInsn(IALOAD);
            mv.visitVarInsn(ISTORE, c + 3);
            mv.visitVarInsn(LLOAD, T_LA);
            lconst(~0xFFFL);
            mv.visitInsn(LAND);
            mv.visitVarInsn(LSTORE, c);
            mv.visitJumpInsn(GOTO, hit);
            mv.visitLabel(done);
        }

        private void readRm(Object d, int size) {
            if (mem(d)) {
                entry(size, false);
                switch (size) {
                    case 1 -> {
                        mv.visitInsn(BALOAD);
                        iconst(0xFF);
                        mv.visitInsn(IAND);
                        mv.visitInsn(I2L);
                    }
                    case 2 -> {
                        mv.visitMethodInsn(INVOKESTATIC, LE, "getU16", "([BI)I", false);
                        mv.visitInsn(I2L);
                    }
                    case 4 -> mv.visitMethodInsn(INVOKESTATIC, LE, "getU32", "([BI)J", false);
                    default -> mv.visitMethodInsn(INVOKESTATIC, LE, "getI64", "([BI)J", false);
                }
            } else {
                getReg(size, rm(d));
            }
        }

        private void writeRm(Object d, int size, int valueLocal) {
            if (mem(d)) {
                entry(size, true);
                mv.visitVarInsn(LLOAD, valueLocal);
                switch (size) {
                    case 1 -> {
                        mv.visitInsn(L2I);
                        mv.visitInsn(BASTORE);
                    }
                    case 2 -> {
                        mv.visitInsn(L2I);
                        mv.visitMethodInsn(INVOKESTATIC, LE, "putU16", "([BII)V", false);
                    }
                    case 4 -> {
                        mv.visitInsn(L2I);
                        mv.visitMethodInsn(INVOKESTATIC, LE, "putI32", "([BII)V", false);
                    }
                    default -> mv.visitMethodInsn(INVOKESTATIC, LE, "putI64", "([BIJ)V", false);
                }
            } else {
                mv.visitVarInsn(LLOAD, valueLocal);
                setReg(size, rm(d));
            }
        }

        /** Pushes X86Vcpu.getReg(size, r). */
        private void getReg(int size, int r) {
            mv.visitVarInsn(LLOAD, regLocal(r));
            if (size == 1 && (r & HIGH_BYTE) != 0) {
                iconst(8);
                mv.visitInsn(LUSHR);
            }
            maskTo(size);
        }

        /** X86Vcpu.setReg(size, r, value on the stack). */
        private void setReg(int size, int r) {
            int local = regLocal(r);
            switch (size) {
                case 8 -> { }
                case 4 -> maskTo(4);
                case 2 -> {
                    maskTo(2);
                    mv.visitVarInsn(LLOAD, local);
                    lconst(~0xFFFFL);
                    mv.visitInsn(LAND);
                    mv.visitInsn(LOR);
                }
                default -> {
                    maskTo(1);
                    long keep = ~0xFFL;
                    if ((r & HIGH_BYTE) != 0) {
                        iconst(8);
                        mv.visitInsn(LSHL);
                        keep = ~0xFF00L;
                    }
                    mv.visitVarInsn(LLOAD, local);
                    lconst(keep);
                    mv.visitInsn(LAND);
                    mv.visitInsn(LOR);
                }
            }
            mv.visitVarInsn(LSTORE, local);
        }

        private void maskTo(int size) {
            if (size != 8) {
                lconst(mask(size));
                mv.visitInsn(LAND);
            }
        }

        private void sext(int size) {
            switch (size) {
                case 1 -> { mv.visitInsn(L2I); mv.visitInsn(I2B); mv.visitInsn(I2L); }
                case 2 -> { mv.visitInsn(L2I); mv.visitInsn(I2S); mv.visitInsn(I2L); }
                case 4 -> { mv.visitInsn(L2I); mv.visitInsn(I2L); }
                default -> { }
            }
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
                mv.visitInsn(v == 0 ? LCONST_0 : LCONST_1);
            } else {
                mv.visitLdcInsn(v);
            }
        }
    }
}
