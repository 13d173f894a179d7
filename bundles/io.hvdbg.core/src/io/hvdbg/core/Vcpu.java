/*
 * Copyright (c) 2026 hvdbg contributors
 * SPDX-License-Identifier: EPL-2.0
 */
package io.hvdbg.core;

import java.util.List;

import io.hvdbg.core.exit.ExitInfo;
import io.hvdbg.core.memory.LittleEndian;
import io.hvdbg.core.vcpu.RegisterDescriptor;
import io.hvdbg.core.vcpu.VcpuState;

/**
 * A virtual CPU. Architectures implement the interpreter ({@link #execute}), register access and
 * debugger memory access; the base class holds what every vCPU has: its index, guest time,
 * scheduling state and the exit in progress, and routes exits to the VM
 * ({@link #vmExit()}).
 *
 * <p>Threading: {@link #execute} and exit handling run on the VM thread. Register and memory
 * accessors may be called from other threads only while the VM is paused.
 */
public abstract class Vcpu {
    protected final VirtualMachine vm;
    protected final int index;
    /** The exit in progress (kvm_run); filled by the interpreter before {@link #vmExit()}. */
    protected final ExitInfo exit = new ExitInfo();
    /** Guest time this vCPU has reached, in nanoseconds; the interpreter adds one per instruction. */
    protected long time;
    /** Retired guest instructions. */
    protected long instructions;

    private volatile VcpuState state = VcpuState.RUNNABLE;
    boolean pendingExit;
    boolean skipBreakpointOnce;
    private volatile long lastExitSeq = -1;

    protected Vcpu(VirtualMachine vm, int index) {
        this.vm = vm;
        this.index = index;
    }

    public final int index() {
        return index;
    }

    public final VirtualMachine vm() {
        return vm;
    }

    public final long time() {
        return time;
    }

    public final long instructions() {
        return instructions;
    }

    public final VcpuState state() {
        return state;
    }

    /** Sets the scheduling state (HLT/WFI, SIPI, HSM start/stop) and wakes an idle VM when it becomes runnable. */
    public final void setState(VcpuState newState) {
        VcpuState old = state;
        state = newState;
        if (old != VcpuState.RUNNABLE && newState == VcpuState.RUNNABLE) {
            vm.kick();
        }
    }

    /** True while this vCPU is stopped at an exit that its handler has not run for yet. */
    public final boolean hasPendingExit() {
        return pendingExit;
    }

    /** The exit in progress or most recently taken (read-only use). */
    public final ExitInfo currentExit() {
        return exit;
    }

    // ---- interpreter contract --------------------------------------------------------------

    /**
     * Runs guest code for at most {@code budget} instructions. Returns early when the vCPU halts
     * or stops, or {@link VirtualMachine#stopRequested()} becomes true (breakpoint, watchpoint,
     * exit breakpoint, pause from another thread). A halted vCPU whose wake-up condition holds
     * (interrupt pending) wakes and continues; otherwise it returns at once.
     */
    protected abstract void execute(long budget);

    /**
     * Guest time at which this halted vCPU will have an interrupt to wake it (timer deadline),
     * or {@link Long#MAX_VALUE} if only an outside event can wake it.
     */
    protected long nextEventTime() {
        return Long.MAX_VALUE;
    }

    /** Runs the architecture's handler for the exit in {@link #exit}: one table lookup. */
    protected abstract int handleExit(ExitInfo exit);

    /**
     * Reports the exit described by {@link #exit} (filled by the interpreter with
     * {@link ExitInfo#set}): records it, checks exit breakpoints and, unless one hits,
     * dispatches the handler. Returns true if the interpreter should go on executing; false if
     * it must return from {@link #execute} now (the VM stops at this exit or after it).
     */
    protected final boolean vmExit() {
        return vm.onExit(this);
    }

    /**
     * Checks the breakpoints for the instruction about to execute at {@code pc}; call only when
     * {@code vm.breakpoints().isActive()}. After a resume, the first instruction of the vCPU the
     * last stop was reported for (and of a stepped vCPU) is never stopped at, so continuing
     * from a breakpoint makes progress. Returns true if the VM must stop.
     */
    protected final boolean checkBreakpoint(long pc) {
        boolean skip = skipBreakpointOnce;
        skipBreakpointOnce = false;
        if (!skip && vm.breakpoints().contains(pc)) {
            vm.stopAtBreakpoint(this, pc);
            return true;
        }
        return false;
    }

    /** Ends the resume-skip window; the interpreter calls this after each instruction it retires while debugging. */
    protected final void instructionRetiredWhileDebugging() {
        skipBreakpointOnce = false;
    }

    final void prepareResume() {
        skipBreakpointOnce = true;
    }

    final void clearPendingExit() {
        pendingExit = false;
    }

    final void markPendingExit() {
        pendingExit = true;
    }

    final void advanceTimeTo(long t) {
        if (t > time) {
            time = t;
        }
    }

    void rememberExit(long seq) {
        lastExitSeq = seq;
    }

    /** Trace sequence number of the last exit this vCPU took, or -1. */
    public final long lastExitSeq() {
        return lastExitSeq;
    }

    // ---- registers -------------------------------------------------------------------------

    /**
     * The registers a debugger sees, in target-description order, each with its gdb number.
     * Numbers may be sparse (gdb numbers RISC-V CSRs 65 + csr number). The list must not
     * change while the VM lives, so gdb's view stays valid across guest mode switches.
     */
    public abstract List<RegisterDescriptor> registers();

    private RegisterDescriptor[] byNumber;

    /** The register with gdb number {@code regnum}, or null. */
    public RegisterDescriptor registerByNumber(int regnum) {
        RegisterDescriptor[] t = byNumber;
        if (t == null) {
            int max = -1;
            for (RegisterDescriptor d : registers()) {
                max = Math.max(max, d.regnum());
            }
            t = new RegisterDescriptor[max + 1];
            for (RegisterDescriptor d : registers()) {
                t[d.regnum()] = d;
            }
            byNumber = t;
        }
        return regnum >= 0 && regnum < t.length ? t[regnum] : null;
    }

    /** The register with a gdb name, or null. */
    public RegisterDescriptor register(String name) {
        for (RegisterDescriptor d : registers()) {
            if (d.name().equals(name)) {
                return d;
            }
        }
        return null;
    }

    /**
     * Reads a register of at most 64 bits by gdb number.
     *
     * @throws GuestStateProtectedException if the hypervisor may not read it (TDX)
     */
    public abstract long readRegister(int regnum);

    /** Writes a register of at most 64 bits by gdb number. */
    public abstract void writeRegister(int regnum, long value);

    /** Reads any register as little-endian bytes of its size; wider registers override this. */
    public byte[] readRegisterBytes(int regnum) {
        RegisterDescriptor d = registerByNumber(regnum);
        if (d == null) {
            throw new IllegalArgumentException("no register number " + regnum);
        }
        byte[] out = new byte[d.byteSize()];
        long v = readRegister(regnum);
        for (int i = 0; i < out.length && i < 8; i++) {
            out[i] = (byte) (v >>> (8 * i));
        }
        return out;
    }

    /** Writes any register from little-endian bytes of its size; wider registers override this. */
    public void writeRegisterBytes(int regnum, byte[] value) {
        byte[] b = new byte[8];
        System.arraycopy(value, 0, b, 0, Math.min(8, value.length));
        writeRegister(regnum, LittleEndian.getI64(b, 0));
    }

    /** Reads a register by gdb name. */
    public long readRegister(String name) {
        RegisterDescriptor d = register(name);
        if (d == null) {
            throw new IllegalArgumentException("no register named " + name);
        }
        return readRegister(d.regnum());
    }

    public abstract long pc();

    public abstract void setPc(long pc);

    // ---- debugger memory view --------------------------------------------------------------

    /**
     * Translates a guest virtual address with the vCPU's current paging state, as a debugger
     * does: no accessed/dirty updates, no TLB fill, no exit. Returns the guest-physical address
     * or -1 if unmapped.
     */
    public abstract long translateForDebug(long va);

    /**
     * Reads guest virtual memory for a debugger (no side effects, devices not touched).
     * Returns the number of bytes read before the first unmapped or non-memory address.
     */
    public int readVirtual(long va, byte[] dst, int off, int len) {
        int done = 0;
        while (done < len) {
            long a = va + done;
            long gpa = translateForDebug(a);
            if (gpa == -1) {
                break;
            }
            int n = (int) Math.min(len - done, 0x1000 - (a & 0xFFF));
            int got = vm.memory().read(gpa, dst, off + done, n);
            done += got;
            if (got < n) {
                break;
            }
        }
        return done;
    }

    /** Writes guest virtual memory for a debugger; returns the number of bytes written. */
    public int writeVirtual(long va, byte[] src, int off, int len) {
        int done = 0;
        while (done < len) {
            long a = va + done;
            long gpa = translateForDebug(a);
            if (gpa == -1) {
                break;
            }
            int n = (int) Math.min(len - done, 0x1000 - (a & 0xFFF));
            int put = vm.memory().write(gpa, src, off + done, n);
            done += put;
            if (put < n) {
                break;
            }
        }
        return done;
    }

    /** One line of state for thread lists, e.g. {@code running in long mode} or {@code halted}. */
    public String describeState() {
        return switch (state) {
            case RUNNABLE -> "runnable";
            case HALTED -> "halted";
            case STOPPED -> "stopped";
        };
    }
}
