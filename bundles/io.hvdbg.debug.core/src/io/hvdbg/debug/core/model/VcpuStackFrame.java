/*
 * Copyright (c) 2026 hvdbg contributors
 * SPDX-License-Identifier: EPL-2.0
 */
package io.hvdbg.debug.core.model;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.eclipse.debug.core.model.IRegisterGroup;
import org.eclipse.debug.core.model.IStackFrame;
import org.eclipse.debug.core.model.IThread;
import org.eclipse.debug.core.model.IVariable;

import io.hvdbg.core.vcpu.RegisterDescriptor;

/**
 * The top (and only) frame of a vCPU: where it stands, with the guest symbol when an ELF was
 * given, e.g. {@code kmain+0x1c at 0x100234}. Hypervisor-level debugging has no call stack of
 * its own; the registers are what there is to see.
 */
public final class VcpuStackFrame extends HvdbgDebugElement implements IStackFrame {
    private final VcpuThread thread;
    private final long pc;
    private final String symbol;
    private final IRegisterGroup[] groups;

    VcpuStackFrame(VcpuThread thread, long pc, String symbol) {
        super(thread.getDebugTarget());
        this.thread = thread;
        this.pc = pc;
        this.symbol = symbol;
        List<IRegisterGroup> g = new ArrayList<>();
        for (Map.Entry<String, List<RegisterDescriptor>> e : thread.getDebugTarget().registerGroups().entrySet()) {
            g.add(new VcpuRegisterGroup(this, e.getKey(), e.getValue()));
        }
        this.groups = g.toArray(new IRegisterGroup[0]);
    }

    /** The program counter, or -1 if the stub could not say. */
    public long pc() {
        return pc;
    }

    /** The symbol at the PC ("kmain+0x1c"), or null. */
    public String symbol() {
        return symbol;
    }

    VcpuThread vcpuThread() {
        return thread;
    }

    @Override
    public IThread getThread() {
        return thread;
    }

    @Override
    public String getName() {
        String where = pc < 0 ? "unknown PC" : "0x" + Long.toHexString(pc);
        return symbol == null ? where : symbol + " at " + where;
    }

    @Override
    public IVariable[] getVariables() {
        return new IVariable[0];
    }

    @Override
    public boolean hasVariables() {
        return false;
    }

    @Override
    public int getLineNumber() {
        return -1;
    }

    @Override
    public int getCharStart() {
        return -1;
    }

    @Override
    public int getCharEnd() {
        return -1;
    }

    @Override
    public IRegisterGroup[] getRegisterGroups() {
        return groups.clone();
    }

    @Override
    public boolean hasRegisterGroups() {
        return groups.length > 0;
    }

    @Override
    public boolean canStepInto() {
        return thread.canStepInto();
    }

    @Override
    public boolean canStepOver() {
        return thread.canStepOver();
    }

    @Override
    public boolean canStepReturn() {
        return false;
    }

    @Override
    public boolean isStepping() {
        return false;
    }

    @Override
    public void stepInto() {
        thread.stepInto();
    }

    @Override
    public void stepOver() {
        thread.stepOver();
    }

    @Override
    public void stepReturn() {
        // not offered
    }

    @Override
    public boolean canResume() {
        return thread.canResume();
    }

    @Override
    public boolean canSuspend() {
        return thread.canSuspend();
    }

    @Override
    public boolean isSuspended() {
        return thread.isSuspended();
    }

    @Override
    public void resume() {
        thread.resume();
    }

    @Override
    public void suspend() {
        thread.suspend();
    }

    @Override
    public boolean canTerminate() {
        return thread.canTerminate();
    }

    @Override
    public boolean isTerminated() {
        return thread.isTerminated();
    }

    @Override
    public void terminate() {
        thread.terminate();
    }
}
