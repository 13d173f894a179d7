/*
 * Copyright (c) 2026 hvdbg contributors
 * SPDX-License-Identifier: EPL-2.0
 */
package io.hvdbg.rsp.testarch;

import java.util.List;

import io.hvdbg.core.Architecture;
import io.hvdbg.core.Vcpu;
import io.hvdbg.core.debug.Watchpoint;
import io.hvdbg.core.exit.ExitHandler;
import io.hvdbg.core.exit.ExitHandlerTable;
import io.hvdbg.core.exit.ExitInfo;
import io.hvdbg.core.exit.ExitReason;
import io.hvdbg.core.vcpu.GuestStateProtectedException;
import io.hvdbg.core.vcpu.RegisterDescriptor;
import io.hvdbg.core.vcpu.VcpuState;

/**
 * The test vCPU: interprets a few x86 encodings (nop, inc rax, mov rax imm32, mov [abs] rax,
 * mov rax [abs], push/pop rbp, mov rbp rsp, call/ret, jmp rel8, cpuid, out imm8 al, hlt) or, on
 * the RISC-V flavour, a few RV64I instructions (addi, lui, auipc, ld, sd, jal, jalr, ecall, wfi)
 * over identity-mapped RAM. CPUID, OUT, HLT, ecall and WFI are VM exits handled through a
 * handler table.
 */
public final class TestVcpu extends Vcpu {
    private static final ExitHandlerTable<TestVcpu> HANDLERS = new ExitHandlerTable<TestVcpu>(
            (v, e) -> {
                v.vm().fail(v.index(), "no handler for " + e.reason.name());
                return ExitHandler.EXIT_TO_USER;
            })
            .on(TestMachine.CPUID, TestVcpu::handleCpuid)
            .on(TestMachine.IO, TestVcpu::handleIo)
            .on(TestMachine.HLT, TestVcpu::handleHlt)
            .on(TestMachine.SBI, TestVcpu::handleSbi);

    private final List<RegisterDescriptor> registers;
    private final long[] regs;
    private final byte[][] wide;
    private final int ax;
    private final int sp;
    private final int bp;
    private final int ip;
    private final int cx;
    private long wakeAt = Long.MAX_VALUE;
    private final byte[] fetch = new byte[8];
    private final boolean x86;

    TestVcpu(TestMachine vm, int index) {
        super(vm, index);
        registers = TestRegisters.of(vm.architecture());
        int max = 0;
        for (RegisterDescriptor d : registers) {
            max = Math.max(max, d.regnum());
        }
        regs = new long[max + 1];
        wide = new byte[max + 1][];
        for (RegisterDescriptor d : registers) {
            if (d.bitSize() > 64) {
                wide[d.regnum()] = new byte[d.byteSize()];
            }
        }
        x86 = vm.architecture() == Architecture.X86_64;
        ax = x86 ? TestRegisters.RAX : 10;
        cx = x86 ? 2 : 11;
        sp = x86 ? TestRegisters.RSP : 2;
        bp = x86 ? TestRegisters.RBP : 8;
        ip = x86 ? TestRegisters.RIP : TestRegisters.RV_PC;
        regs[sp] = TestMachine.RAM_SIZE - 0x1000 * (index + 1);
        if (x86) {
            regs[TestRegisters.CR0] = 0x80000011L;
            regs[TestRegisters.CR4] = 0x20;
            regs[TestRegisters.EFER] = 0x500;
            regs[18] = 0x10;
            regs[TestRegisters.EFLAGS] = 0x2;
        }
    }

    private TestMachine machine() {
        return (TestMachine) vm;
    }

    // ---- interpreter ------------------------------------------------------------------------

    @Override
    protected void execute(long budget) {
        for (long n = 0; n < budget; n++) {
            if (vm.stopRequested()) {
                return;
            }
            if (state() == VcpuState.HALTED) {
                if (time < wakeAt) {
                    return;
                }
                wakeAt = Long.MAX_VALUE;
                setState(VcpuState.RUNNABLE);
            } else if (state() != VcpuState.RUNNABLE) {
                return;
            }
            long pc = regs[ip];
            if (vm.breakpoints().isActive() && checkBreakpoint(pc)) {
                return;
            }
            if (vm.memory().read(pc, fetch, 0, 8) < (x86 ? 1 : 4)) {
                vm.fail(index, String.format("instruction fetch from 0x%x, which is not RAM", pc));
                return;
            }
            if (!(x86 ? executeOne(pc) : executeRiscv(pc))) {
                return;
            }
            instructionRetiredWhileDebugging();
        }
    }

    @Override
    protected long nextEventTime() {
        return wakeAt;
    }

    private void retire(long nextPc) {
        regs[ip] = nextPc;
        time++;
        instructions++;
    }

    /** Executes the x86 instruction at pc (fetched); false if execute must return (exit, stop, fault). */
    private boolean executeOne(long pc) {
        int op = fetch[0] & 0xFF;
        switch (op) {
            case 0x90 -> retire(pc + 1);
            case 0x55 -> {
                push(regs[bp]);
                retire(pc + 1);
            }
            case 0x5D -> {
                regs[bp] = pop();
                retire(pc + 1);
            }
            case 0xC3 -> retire(pop());
            case 0xE8 -> {
                push(pc + 5);
                retire(pc + 5 + imm32(1));
            }
            case 0xEB -> retire(pc + 2 + fetch[1]);
            case 0xF4 -> {
                return exit(TestMachine.HLT, 0, 0, pc, 1);
            }
            case 0xE6 -> {
                int port = fetch[1] & 0xFF;
                return exit(TestMachine.IO, (long) port << 16, regs[ax] & 0xFF, pc, 2);
            }
            case 0x0F -> {
                if ((fetch[1] & 0xFF) != 0xA2) {
                    return undefined(pc);
                }
                return exit(TestMachine.CPUID, 0, 0, pc, 2, (regs[ax] & 0xFFFFFFFFL) | (regs[cx] << 32));
            }
            case 0x48 -> {
                return rex(pc);
            }
            default -> {
                return undefined(pc);
            }
        }
        return true;
    }

    /**
     * RV64I subset: addi, lui, auipc, ld, sd, jal, jalr, ecall (an SBI exit), wfi (a halt exit).
     * The guest is assembled without compressed instructions.
     */
    private boolean executeRiscv(long pc) {
        int insn = (fetch[0] & 0xFF) | (fetch[1] & 0xFF) << 8 | (fetch[2] & 0xFF) << 16 | fetch[3] << 24;
        int rd = (insn >>> 7) & 31;
        int f3 = (insn >>> 12) & 7;
        int rs1 = (insn >>> 15) & 31;
        int rs2 = (insn >>> 20) & 31;
        long immI = insn >> 20;
        switch (insn & 0x7F) {
            case 0x13 -> {
                if (f3 != 0) {
                    return undefined(pc);
                }
                setX(rd, regs[rs1] + immI);
                retire(pc + 4);
            }
            case 0x37 -> {
                setX(rd, insn & 0xFFFFF000);
                retire(pc + 4);
            }
            case 0x17 -> {
                setX(rd, pc + (insn & 0xFFFFF000));
                retire(pc + 4);
            }
            case 0x03, 0x23 -> {
                if (f3 != 3) {
                    return undefined(pc);
                }
                boolean store = (insn & 0x7F) == 0x23;
                long address = regs[rs1] + (store ? ((long) (insn >> 25) << 5) | rd : immI);
                if (!vm.memory().isMemory(address) || !vm.memory().isMemory(address + 7)) {
                    vm.fail(index, String.format("data access to 0x%x, which is not RAM", address));
                    return false;
                }
                if (store) {
                    vm.memory().store(address, 8, regs[rs2]);
                } else {
                    setX(rd, vm.memory().load(address, 8));
                }
                retire(pc + 4);
                return checkWatch(address, store);
            }
            case 0x6F -> {
                long imm = ((long) (insn >> 31) << 20) | ((insn >>> 12) & 0xFF) << 12 | ((insn >>> 20) & 1) << 11
                        | ((insn >>> 21) & 0x3FF) << 1;
                setX(rd, pc + 4);
                retire(pc + imm);
            }
            case 0x67 -> {
                long target = (regs[rs1] + immI) & ~1L;
                setX(rd, pc + 4);
                retire(target);
            }
            case 0x73 -> {
                if (insn == 0x00000073) {
                    return exit(TestMachine.SBI, regs[16], 0, pc, 4, regs[17]);
                }
                if (insn == 0x10500073) {
                    return exit(TestMachine.HLT, 0, 0, pc, 4);
                }
                return undefined(pc);
            }
            default -> {
                return undefined(pc);
            }
        }
        return true;
    }

    private void setX(int rd, long value) {
        if (rd != 0) {
            regs[rd] = value;
        }
    }

    private boolean checkWatch(long address, boolean store) {
        if (vm.watchpoints().isActive()) {
            Watchpoint w = vm.watchpoints().check(address, 8, store);
            if (w != null) {
                vm.stopAtWatchpoint(this, w, address);
                return false;
            }
        }
        return true;
    }

    private boolean rex(long pc) {
        int b1 = fetch[1] & 0xFF;
        int b2 = fetch[2] & 0xFF;
        if (b1 == 0xFF && b2 == 0xC0) {
            regs[ax]++;
            retire(pc + 3);
            return true;
        }
        if (b1 == 0x89 && b2 == 0xE5) {
            regs[bp] = regs[sp];
            retire(pc + 3);
            return true;
        }
        if (b1 == 0xC7 && b2 == 0xC0) {
            regs[ax] = imm32(3);
            retire(pc + 7);
            return true;
        }
        if ((b1 == 0x89 || b1 == 0x8B) && b2 == 0x04 && (fetch[3] & 0xFF) == 0x25) {
            boolean store = b1 == 0x89;
            long address = imm32At(pc + 4);
            if (address == Long.MIN_VALUE) {
                vm.fail(index, String.format("instruction at 0x%x is cut off by the end of RAM", pc));
                return false;
            }
            if (!vm.memory().isMemory(address) || !vm.memory().isMemory(address + 7)) {
                vm.fail(index, String.format("data access to 0x%x, which is not RAM", address));
                return false;
            }
            if (store) {
                vm.memory().store(address, 8, regs[ax]);
            } else {
                regs[ax] = vm.memory().load(address, 8);
            }
            retire(pc + 8);
            return checkWatch(address, store);
        }
        return undefined(pc);
    }

    private long imm32(int at) {
        return (fetch[at] & 0xFF) | (fetch[at + 1] & 0xFF) << 8 | (fetch[at + 2] & 0xFF) << 16
                | (long) fetch[at + 3] << 24;
    }

    private long imm32At(long address) {
        byte[] b = new byte[4];
        if (vm.memory().read(address, b, 0, 4) != 4) {
            return Long.MIN_VALUE;
        }
        return (b[0] & 0xFF) | (b[1] & 0xFF) << 8 | (b[2] & 0xFF) << 16 | (long) b[3] << 24;
    }

    private void push(long v) {
        regs[sp] -= 8;
        vm.memory().store(regs[sp], 8, v);
    }

    private long pop() {
        long v = vm.memory().load(regs[sp], 8);
        regs[sp] += 8;
        return v;
    }

    private boolean undefined(long pc) {
        vm.fail(index, x86 ? String.format("test vCPU %d: undefined opcode %02x at 0x%x", index, fetch[0] & 0xFF, pc)
                : String.format("test vCPU %d: unsupported instruction %02x%02x%02x%02x at 0x%x", index, fetch[3] & 0xFF,
                        fetch[2] & 0xFF, fetch[1] & 0xFF, fetch[0] & 0xFF, pc));
        return false;
    }

    private boolean exit(ExitReason r, long qualification, long info2, long pc, int length) {
        return exit(r, qualification, info2, pc, length, 0);
    }

    private boolean exit(ExitReason r, long qualification, long info2, long pc, int length, long context) {
        exit.set(r, qualification, info2, context, pc, length, time);
        return vmExit();
    }

    @Override
    protected int handleExit(ExitInfo e) {
        return HANDLERS.dispatch(this, e);
    }

    private static int handleCpuid(TestVcpu v, ExitInfo e) {
        long leaf = e.context & 0xFFFFFFFFL;
        v.regs[v.ax] = leaf == 0 ? 0xd : 0;
        v.retire(e.pc + e.instructionLength);
        return ExitHandler.RESUME;
    }

    private static int handleIo(TestVcpu v, ExitInfo e) {
        int port = (int) (e.qualification >>> 16);
        int value = (int) e.info2;
        v.retire(e.pc + e.instructionLength);
        if (port == TestMachine.CONSOLE_PORT) {
            v.vm().console().write(value);
        } else if (port == TestMachine.EXIT_PORT) {
            v.vm().shutdown(v.index(), (value << 1) | 1, "the guest wrote " + value + " to the exit port");
        }
        return ExitHandler.RESUME;
    }

    /** SBI calls: SRST ends the guest with the reset reason (a1) as status; others succeed (a0 = 0). */
    private static int handleSbi(TestVcpu v, ExitInfo e) {
        v.retire(e.pc + e.instructionLength);
        if (e.context == TestMachine.SBI_SRST) {
            int status = (int) v.regs[11];
            v.vm().shutdown(v.index(), status, "the guest asked SBI SRST for a shutdown, reason " + status);
        } else if (e.context == 1) {
            v.vm().console().write((int) v.regs[10]); // legacy console putchar
            v.regs[10] = 0;
        } else {
            v.regs[10] = 0;
        }
        return ExitHandler.RESUME;
    }

    private static int handleHlt(TestVcpu v, ExitInfo e) {
        v.retire(e.pc + e.instructionLength);
        v.wakeAt = v.time + 1000;
        v.setState(VcpuState.HALTED);
        return ExitHandler.RESUME;
    }

    // ---- registers --------------------------------------------------------------------------

    @Override
    public List<RegisterDescriptor> registers() {
        return registers;
    }

    private void check(int regnum) {
        if (machine().registersProtected()) {
            throw new GuestStateProtectedException("TD vCPU state is private to the guest (TDX without the DEBUG attribute)");
        }
        if (registerByNumber(regnum) == null) {
            throw new IllegalArgumentException("no register number " + regnum);
        }
    }

    @Override
    public long readRegister(int regnum) {
        check(regnum);
        if (wide[regnum] != null) {
            long v = 0;
            for (int i = 7; i >= 0; i--) {
                v = (v << 8) | (wide[regnum][i] & 0xFF);
            }
            return v;
        }
        return regs[regnum];
    }

    @Override
    public void writeRegister(int regnum, long value) {
        check(regnum);
        if (wide[regnum] != null) {
            for (int i = 0; i < wide[regnum].length; i++) {
                wide[regnum][i] = i < 8 ? (byte) (value >>> (8 * i)) : 0;
            }
            return;
        }
        RegisterDescriptor d = registerByNumber(regnum);
        regs[regnum] = d.bitSize() >= 64 ? value : value & ((1L << d.bitSize()) - 1);
    }

    @Override
    public byte[] readRegisterBytes(int regnum) {
        check(regnum);
        if (wide[regnum] != null) {
            return wide[regnum].clone();
        }
        return super.readRegisterBytes(regnum);
    }

    @Override
    public void writeRegisterBytes(int regnum, byte[] value) {
        check(regnum);
        if (wide[regnum] != null) {
            System.arraycopy(value, 0, wide[regnum], 0, Math.min(value.length, wide[regnum].length));
            return;
        }
        super.writeRegisterBytes(regnum, value);
    }

    @Override
    public long pc() {
        if (machine().registersProtected()) {
            throw new GuestStateProtectedException("TD vCPU state is private to the guest (TDX without the DEBUG attribute)");
        }
        return regs[ip];
    }

    @Override
    public void setPc(long pc) {
        regs[ip] = pc;
    }

    /** Direct register access for tests (no protection check). */
    public long reg(int regnum) {
        return regs[regnum];
    }

    public void setReg(int regnum, long value) {
        regs[regnum] = value;
    }

    @Override
    public long translateForDebug(long va) {
        return vm.memory().isMemory(va) ? va : -1;
    }

    @Override
    public String describeState() {
        String mode = vm.architecture() == Architecture.X86_64 ? "long mode" : "VS-mode";
        return switch (state()) {
            case RUNNABLE -> "running in " + mode;
            case HALTED -> "halted in " + mode;
            case STOPPED -> "stopped";
        };
    }
}
