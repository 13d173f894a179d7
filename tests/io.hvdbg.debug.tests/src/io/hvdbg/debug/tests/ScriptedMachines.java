/*
 * Copyright (c) 2026 hvdbg contributors
 * SPDX-License-Identifier: EPL-2.0
 */
package io.hvdbg.debug.tests;

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
import io.hvdbg.core.inspect.StateRow;
import io.hvdbg.core.loader.ImageFormatException;
import io.hvdbg.core.vcpu.RegisterDescriptor;
import io.hvdbg.core.vcpu.VcpuState;

/**
 * Stand-in guests for the Eclipse tests, independent of the x86/RISC-V cores: the "kernel" is
 * a text file whose first line is {@code status N} and whose other lines the guest prints, one
 * port-I/O-style VM exit per byte, before it shuts down with status N. Its vCPU has a few
 * x86-like registers and system-state rows so views have something real to show.
 */
public final class ScriptedMachines {
    static final ExitReason OUT = ExitReasons.register(ExitSource.UNKNOWN, 0x7d11_0001L, "SCRIPT_OUT", ExitCategory.IO);
    static final ExitReason END = ExitReasons.register(ExitSource.UNKNOWN, 0x7d11_0002L, "SCRIPT_END", ExitCategory.SHUTDOWN);

    private ScriptedMachines() {
    }

    public static MachineFactory factory(Architecture arch) {
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
                    throw new ImageFormatException(config.kernel() + ": cannot read");
                }
                if (!text.startsWith("status ")) {
                    throw new ImageFormatException(config.kernel() + ": not a script");
                }
                int nl = text.indexOf('\n');
                int status = Integer.parseInt(text.substring(7, nl < 0 ? text.length() : nl).trim());
                return new Machine(config, status, nl < 0 ? "" : text.substring(nl + 1));
            }
        };
    }

    static final class Machine extends VirtualMachine {
        final int status;

        Machine(VmConfig config, int status, String output) {
            super(config);
            this.status = status;
            addVcpu(new ScriptVcpu(this, output.getBytes(StandardCharsets.UTF_8)));
        }

        @Override
        public Architecture architecture() {
            return config.architecture();
        }

        @Override
        public List<StateRow> systemState(int vcpu) {
            return List.of(
                    new StateRow("control", "cr0", 0x80050033L, "PE MP ET NE WP AM PG"),
                    new StateRow("control", "cr3", 0x1000L, "PML4 at 0x1000"),
                    new StateRow("control", "cr4", 0x3406a0L, "PAE PGE OSFXSR OSXMMEXCPT OSXSAVE SMEP SMAP"),
                    new StateRow("mode", "mode", 3, "long mode, 64-bit code"),
                    new StateRow("exit", "last exit", ((ScriptVcpu) vcpu(vcpu)).exits, "SCRIPT_END"));
        }
    }

    static final class ScriptVcpu extends Vcpu {
        private static final String[] NAMES = {"rax", "rbx", "rcx", "rdx", "rsi", "rdi", "rbp", "rsp", "rip", "eflags"};
        private static final List<RegisterDescriptor> REGS;
        static {
            RegisterDescriptor[] r = new RegisterDescriptor[NAMES.length];
            for (int i = 0; i < r.length; i++) {
                r[i] = new RegisterDescriptor(NAMES[i], i, 64, i == 8 ? "code_ptr" : "int64", "general",
                        "org.gnu.gdb.i386.core");
            }
            REGS = List.of(r);
        }
        private static final ExitHandlerTable<ScriptVcpu> HANDLERS = new ExitHandlerTable<ScriptVcpu>(
                (v, e) -> ExitHandler.EXIT_TO_USER)
                .on(OUT, (v, e) -> {
                    v.vm().console().write((int) e.qualification);
                    v.regs[8] += e.instructionLength;
                    return ExitHandler.RESUME;
                })
                .on(END, (v, e) -> {
                    v.vm().shutdown(v.index(), ((Machine) v.vm()).status, "script ended");
                    v.setState(VcpuState.HALTED);
                    return ExitHandler.RESUME;
                });

        private final byte[] output;
        private final long[] regs = {0x2a, 0, 0x3f8, 0, 0x100000, 0, 0x7ffff000, 0x7fffefd8, 0x100000, 0x246};
        private int next;
        long exits;

        ScriptVcpu(VirtualMachine vm, byte[] output) {
            super(vm, 0);
            this.output = output;
        }

        @Override
        protected void execute(long budget) {
            while (budget-- > 0 && state() == VcpuState.RUNNABLE && !vm.stopRequested()) {
                time += 10;
                instructions++;
                exits++;
                if (next < output.length) {
                    exit.set(OUT, output[next++] & 0xFF, 0, 0, regs[8], 1, time);
                } else {
                    exit.set(END, 0, 0, 0, regs[8], 0, time);
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
            return regs[regnum];
        }

        @Override
        public void writeRegister(int regnum, long value) {
            regs[regnum] = value;
        }

        @Override
        public long pc() {
            return regs[8];
        }

        @Override
        public void setPc(long pc) {
            regs[8] = pc;
        }

        @Override
        public long translateForDebug(long va) {
            return va;
        }
    }
}
