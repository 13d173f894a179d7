/*
 * Copyright (c) 2026 hvdbg contributors
 * SPDX-License-Identifier: EPL-2.0
 */
package io.hvdbg.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.List;

import io.hvdbg.core.Architecture;
import io.hvdbg.core.MachineFactory;
import io.hvdbg.core.Vcpu;
import io.hvdbg.core.VirtualMachine;
import io.hvdbg.core.VmConfig;
import io.hvdbg.core.exit.ExitCategory;
import io.hvdbg.core.exit.ExitHandler;
import io.hvdbg.core.exit.ExitHandlerTable;
import io.hvdbg.core.exit.ExitInfo;
import io.hvdbg.core.exit.ExitReason;
import io.hvdbg.core.exit.ExitReasons;
import io.hvdbg.core.exit.ExitSource;
import io.hvdbg.core.loader.ImageFormatException;
import io.hvdbg.core.vcpu.RegisterDescriptor;
import io.hvdbg.core.vcpu.VcpuState;

/**
 * A stand-in guest for the command line's own tests, independent of the x86/RISC-V cores: its
 * "kernel" is a text file whose first line says how it ends ({@code status N},
 * {@code error MESSAGE} or {@code hang}) and whose other lines it prints, one port-I/O-style
 * VM exit per byte, like a guest writing a UART.
 */
final class ScriptedMachine extends VirtualMachine {
    static final ExitReason OUT = ExitReasons.register(ExitSource.UNKNOWN, 0x7c11_0001L, "SCRIPT_OUT", ExitCategory.IO);
    static final ExitReason END = ExitReasons.register(ExitSource.UNKNOWN, 0x7c11_0002L, "SCRIPT_END", ExitCategory.SHUTDOWN);

    /** A factory for any architecture reading scripts; {@code "BAD"} as the first line is a format error. */
    static MachineFactory factory(Architecture arch) {
        return new MachineFactory() {
            @Override
            public Architecture architecture() {
                return arch;
            }

            @Override
            public VirtualMachine create(VmConfig config) throws ImageFormatException {
                String text;
                try {
                    text = Files.readString(config.kernel(), StandardCharsets.UTF_8);
                } catch (IOException e) {
                    throw new ImageFormatException(config.kernel() + ": cannot read: " + e.getMessage());
                }
                int nl = text.indexOf('\n');
                String first = nl < 0 ? text : text.substring(0, nl);
                if (!first.startsWith("status ") && !first.startsWith("error ") && !first.equals("hang")) {
                    throw new ImageFormatException(config.kernel() + ": not a script (first line '" + first + "')");
                }
                return new ScriptedMachine(config, first, nl < 0 ? "" : text.substring(nl + 1));
            }
        };
    }

    private final String ending;

    ScriptedMachine(VmConfig config, String ending, String output) {
        super(config);
        this.ending = ending;
        for (int i = 0; i < config.smp(); i++) {
            addVcpu(new ScriptVcpu(this, i, i == 0 ? output.getBytes(StandardCharsets.UTF_8) : new byte[0]));
        }
    }

    @Override
    public Architecture architecture() {
        return config.architecture();
    }

    void end(int vcpu) {
        if (ending.startsWith("status ")) {
            shutdown(vcpu, Integer.parseInt(ending.substring(7).trim()), "script ended");
        } else if (ending.startsWith("error ")) {
            fail(vcpu, ending.substring(6));
        }
    }

    static final class ScriptVcpu extends Vcpu {
        private static final List<RegisterDescriptor> REGS = List.of(
                new RegisterDescriptor("pc", 0, 64, "code_ptr", "general", "script.core"));
        private static final ExitHandlerTable<ScriptVcpu> HANDLERS = new ExitHandlerTable<ScriptVcpu>(
                (v, e) -> ExitHandler.EXIT_TO_USER)
                .on(OUT, (v, e) -> {
                    v.vm().console().write((int) e.qualification);
                    v.pc += e.instructionLength;
                    return ExitHandler.RESUME;
                })
                .on(END, (v, e) -> {
                    ((ScriptedMachine) v.vm()).end(v.index());
                    v.setState(VcpuState.HALTED);
                    return ExitHandler.RESUME;
                });

        private final byte[] output;
        private long pc;

        ScriptVcpu(VirtualMachine vm, int index, byte[] output) {
            super(vm, index);
            this.output = output;
        }

        @Override
        protected void execute(long budget) {
            while (budget-- > 0 && state() == VcpuState.RUNNABLE && !vm.stopRequested()) {
                time += 10;
                instructions++;
                if (index != 0) {
                    setState(VcpuState.HALTED);
                    return;
                }
                if (pc < output.length) {
                    exit.set(OUT, output[(int) pc] & 0xFF, 0, 0, pc, 1, time);
                } else {
                    exit.set(END, 0, 0, 0, pc, 0, time);
                }
                if (!vmExit()) {
                    return;
                }
            }
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
            return pc;
        }

        @Override
        public void writeRegister(int regnum, long value) {
            pc = value;
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
            return va;
        }
    }
}
