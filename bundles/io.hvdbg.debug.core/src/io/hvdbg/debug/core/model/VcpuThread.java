/*
 * Copyright (c) 2026 hvdbg contributors
 * SPDX-License-Identifier: EPL-2.0
 */
package io.hvdbg.debug.core.model;

import java.io.IOException;
import java.util.HashMap;
import java.util.Map;

import org.eclipse.debug.core.DebugEvent;
import org.eclipse.debug.core.DebugException;
import org.eclipse.debug.core.model.IBreakpoint;
import org.eclipse.debug.core.model.IStackFrame;
import org.eclipse.debug.core.model.IThread;

import io.hvdbg.core.vcpu.RegisterDescriptor;

/**
 * One vCPU of the VM as a debug thread (thread id = vCPU index + 1 on hvdbg's stub), labelled
 * with its state and why it stopped, e.g. {@code vCPU 1 — suspended: exit CPUID leaf 0x7}.
 * Its one stack frame stands at the PC; the registers behind it are read once per stop.
 */
public final class VcpuThread extends HvdbgDebugElement implements IThread, IVcpuStateProvider {
    private final VmDebugTarget target;
    private final long threadId;
    private final int vcpu;
    private final String baseName;
    private volatile String stopText = "";
    private volatile String lastExitReason;
    private volatile VcpuStackFrame frame;
    private volatile IBreakpoint[] breakpoints = new IBreakpoint[0];
    private volatile VcpuStateSnapshot state;
    private final Map<Integer, byte[]> registerCache = new HashMap<>();
    private boolean registersLoaded;

    VcpuThread(VmDebugTarget target, long threadId, int vcpu, String baseName) {
        super(target);
        this.target = target;
        this.threadId = threadId;
        this.vcpu = vcpu;
        this.baseName = baseName;
    }

    /** "vCPU 0" (the stub's name for the thread). */
    public String baseName() {
        return baseName;
    }

    /** The protocol's thread id. */
    public long threadId() {
        return threadId;
    }

    /** The vCPU index. */
    public int vcpu() {
        return vcpu;
    }

    /** Why it stopped ("exit CPUID leaf 0x7", "step", "last exit …"), empty if nothing to say. */
    public String stopText() {
        return stopText;
    }

    /** Native name of the exit the vCPU stopped at or took last (e.g. EXIT_REASON_CPUID), or null. */
    public String lastExitReason() {
        return lastExitReason;
    }

    @Override
    public VmDebugTarget getDebugTarget() {
        return target;
    }

    // ---- state changes (target's worker) --------------------------------------------------------

    void stopped(String why, long pc, String exitReason, VcpuStateSnapshot snapshot) {
        synchronized (registerCache) {
            registerCache.clear();
            registersLoaded = false;
        }
        // Frame first, label last: whoever sees the new stop text also sees this stop's frame.
        frame = new VcpuStackFrame(this, pc, pc < 0 ? null : target.symbolAt(pc));
        state = snapshot;
        lastExitReason = exitReason;
        stopText = why;
    }

    void resumed() {
        frame = null;
        breakpoints = new IBreakpoint[0];
        synchronized (registerCache) {
            registerCache.clear();
            registersLoaded = false;
        }
    }

    void setBreakpoints(IBreakpoint[] b) {
        breakpoints = b;
    }

    // fire* are protected in DebugElement; the target fires through these.
    @Override
    public void fireSuspendEvent(int detail) {
        super.fireSuspendEvent(detail);
    }

    @Override
    public void fireResumeEvent(int detail) {
        super.fireResumeEvent(detail);
    }

    @Override
    public void fireCreationEvent() {
        super.fireCreationEvent();
    }

    @Override
    public void fireTerminateEvent() {
        super.fireTerminateEvent();
    }

    /** A register's raw bytes (target order) at this stop; 'g' once per stop, 'p' for the rest. */
    byte[] registerBytes(RegisterDescriptor d) throws DebugException {
        if (!isSuspended()) {
            throw debugException("The VM is running; suspend it to read registers", null);
        }
        synchronized (registerCache) {
            try {
                if (!registersLoaded) {
                    registerCache.putAll(target.client().readRegisters(threadId));
                    registersLoaded = true;
                }
                byte[] b = registerCache.get(d.regnum());
                if (b == null) {
                    b = target.client().readRegister(threadId, d.regnum());
                    registerCache.put(d.regnum(), b);
                }
                return b;
            } catch (IOException | RuntimeException e) {
                throw debugException("Cannot read register " + d.name() + ": " + e.getMessage(), e);
            }
        }
    }

    void writeRegister(RegisterDescriptor d, byte[] value) throws DebugException {
        if (!isSuspended()) {
            throw debugException("The VM is running; suspend it to change registers", null);
        }
        synchronized (registerCache) {
            try {
                target.client().writeRegister(threadId, d.regnum(), value);
                registerCache.put(d.regnum(), value.clone());
            } catch (IOException | RuntimeException e) {
                throw debugException("Cannot write register " + d.name() + ": " + e.getMessage(), e);
            }
        }
        fireChangeEvent(DebugEvent.CONTENT);
    }

    /** The system state the stub reported at the last stop (qHvdbg.state), for the vCPU State view; null without hvdbg's stub. */
    @Override
    public VcpuStateSnapshot vcpuState() {
        return state;
    }

    @Override
    public <T> T getAdapter(Class<T> adapter) {
        if (adapter == IVcpuStateProvider.class) {
            return adapter.cast(this);
        }
        return super.getAdapter(adapter);
    }

    // ---- IThread ---------------------------------------------------------------------------

    @Override
    public String getName() {
        String state = target.isTerminated() ? "terminated" : isSuspended() ? "suspended" : "running";
        String why = isSuspended() && !stopText.isEmpty() ? ": " + stopText : "";
        return baseName + " \u2014 " + state + why;
    }

    @Override
    public IStackFrame[] getStackFrames() {
        VcpuStackFrame f = frame;
        return isSuspended() && f != null ? new IStackFrame[] {f} : new IStackFrame[0];
    }

    @Override
    public boolean hasStackFrames() {
        return isSuspended() && frame != null;
    }

    @Override
    public int getPriority() {
        return 0;
    }

    @Override
    public IStackFrame getTopStackFrame() {
        return isSuspended() ? frame : null;
    }

    @Override
    public IBreakpoint[] getBreakpoints() {
        return breakpoints.clone();
    }

    @Override
    public boolean canResume() {
        return target.canResume();
    }

    @Override
    public boolean canSuspend() {
        return target.canSuspend();
    }

    @Override
    public boolean isSuspended() {
        return target.isSuspended();
    }

    @Override
    public void resume() {
        target.resume();
    }

    @Override
    public void suspend() {
        target.suspend();
    }

    @Override
    public boolean canStepInto() {
        return target.isSuspended();
    }

    @Override
    public boolean canStepOver() {
        return target.isSuspended();
    }

    @Override
    public boolean canStepReturn() {
        return false;
    }

    @Override
    public boolean isStepping() {
        return false;
    }

    /** One instruction of this vCPU. */
    @Override
    public void stepInto() {
        target.step(this, DebugEvent.STEP_INTO);
    }

    /** One instruction of this vCPU (no call frames to step over at the hypervisor level). */
    @Override
    public void stepOver() {
        target.step(this, DebugEvent.STEP_OVER);
    }

    @Override
    public void stepReturn() {
        // not offered: canStepReturn() is false
    }

    /** Runs until this vCPU's next VM exit (of {@code reason} if not null). */
    public void stepToExit(String reason) {
        target.stepToExit(this, reason);
    }

    @Override
    public boolean canTerminate() {
        return target.canTerminate();
    }

    @Override
    public boolean isTerminated() {
        return target.isTerminated();
    }

    @Override
    public void terminate() {
        target.terminate();
    }
}
