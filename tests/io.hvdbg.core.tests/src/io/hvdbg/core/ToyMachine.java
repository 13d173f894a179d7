/*
 * Copyright (c) 2026 hvdbg contributors
 * SPDX-License-Identifier: EPL-2.0
 */
package io.hvdbg.core;

import java.util.List;

import io.hvdbg.core.exit.ExitCategory;
import io.hvdbg.core.exit.ExitHandler;
import io.hvdbg.core.exit.ExitHandlerTable;
import io.hvdbg.core.exit.ExitInfo;
import io.hvdbg.core.exit.ExitReason;
import io.hvdbg.core.exit.ExitReasons;
import io.hvdbg.core.exit.ExitSource;
import io.hvdbg.core.vcpu.RegisterDescriptor;
import io.hvdbg.core.vcpu.VcpuState;

/**
 * A tiny architecture for testing the core's run control: each vCPU runs a program of int
 * opcodes where the PC is the index. Opcodes: NOP, EXIT (intercept: the handler increments
 * {@code acc} and advances the PC), HALT (sleep until {@code wake}), SHUTDOWN, JUMP0 (PC = 0),
 * STORE (write acc to memory word 0, for watchpoints), BOOM (an interpreter bug).
 */
final class ToyMachine extends VirtualMachine {
    static final int NOP = 0;
    static final int EXIT = 1;
    static final int HALT = 2;
    static final int SHUTDOWN = 3;
    static final int JUMP0 = 4;
    static final int STORE = 5;
    static final int BOOM = 6;

    static final ExitReason TOY_EXIT = ExitReasons.register(ExitSource.UNKNOWN, 0x7001, "TOY_EXIT", ExitCategory.CPUID);
    static final ExitReason TOY_SHUTDOWN = ExitReasons.register(ExitSource.UNKNOWN, 0x7002, "TOY_SHUTDOWN",
            ExitCategory.SHUTDOWN);

    ToyMachine(int smp, int[] program, long haltFor) {
        super(VmConfig.defaults(Architecture.RISCV64).withSmp(smp).withTraceBytes(1 << 16));
        memory().addRam("ram", 0, 0x1000);
        for (int i = 0; i < smp; i++) {
            addVcpu(new ToyVcpu(this, i, program, haltFor));
        }
    }

    @Override
    public Architecture architecture() {
        return Architecture.RISCV64;
    }

    ToyVcpu toy(int i) {
        return (ToyVcpu) vcpu(i);
    }

    static final class ToyVcpu extends Vcpu {
        private static final List<RegisterDescriptor> REGS = List.of(
                new RegisterDescriptor("acc", 0, 64, "int", "general", "toy.core"),
                new RegisterDescriptor("pc", 1, 64, "code_ptr", "general", "toy.core"));
        private static final ExitHandlerTable<ToyVcpu> HANDLERS = new ExitHandlerTable<ToyVcpu>(
                (v, e) -> ExitHandler.EXIT_TO_USER)
                .on(TOY_EXIT, (v, e) -> {
                    v.acc++;
                    v.pc += e.instructionLength;
                    return ExitHandler.RESUME;
                })
                .on(TOY_SHUTDOWN, (v, e) -> {
                    v.vm().shutdown(v.index(), (int) v.acc, "toy shutdown");
                    return ExitHandler.EXIT_TO_USER;
                });

        final int[] program;
        final long haltFor;
        long pc;
        long acc;
        long wake = Long.MAX_VALUE;

        ToyVcpu(VirtualMachine vm, int index, int[] program, long haltFor) {
            super(vm, index);
            this.program = program;
            this.haltFor = haltFor;
        }

        @Override
        protected void execute(long budget) {
            if (state() == VcpuState.HALTED) {
                if (time < wake) {
                    return;
                }
                wake = Long.MAX_VALUE;
                setState(VcpuState.RUNNABLE);
            }
            while (budget-- > 0 && state() == VcpuState.RUNNABLE && !vm.stopRequested()) {
                if (vm.breakpoints().isActive() && checkBreakpoint(pc)) {
                    return;
                }
                int op = program[(int) pc];
                time++;
                instructions++;
                switch (op) {
                    case NOP -> pc++;
                    case JUMP0 -> pc = 0;
                    case STORE -> {
                        vm.memory().store(0, 8, acc);
                        var w = vm.watchpoints().check(0, 8, true);
                        pc++;
                        if (w != null) {
                            vm.stopAtWatchpoint(this, w, 0);
                            return;
                        }
                    }
                    case HALT -> {
                        pc++;
                        wake = haltFor == Long.MAX_VALUE ? Long.MAX_VALUE : time + haltFor;
                        setState(VcpuState.HALTED);
                        return;
                    }
                    case EXIT, SHUTDOWN -> {
                        exit.set(op == EXIT ? TOY_EXIT : TOY_SHUTDOWN, op, 0, pc * 16, pc, 1, time);
                        if (!vmExit()) {
                            return;
                        }
                    }
                    case BOOM -> throw new IllegalStateException("toy interpreter bug");
                    default -> throw new IllegalStateException("bad opcode");
                }
            }
        }

        @Override
        protected long nextEventTime() {
            return wake;
        }

        @Override
        protected int handleExit(ExitInfo e) {
            return HANDLERS.dispatch(this, e);
        }

        @Override
        public List<RegisterDescriptor> registers() {
            return REGS;
        }

        @Override
        public long readRegister(int regnum) {
            return regnum == 0 ? acc : pc;
        }

        @Override
        public void writeRegister(int regnum, long value) {
            if (regnum == 0) {
                acc = value;
            } else {
                pc = value;
            }
        }

        @Override
        public long pc() {
            return pc;
        }

        @Override
        public void setPc(long pc) {
            this.pc = pc;
        }

        @Override
        public long translateForDebug(long va) {
            return va < 0x1000 ? va : -1;
        }
    }
}
