/*
 * Copyright (c) 2026 hvdbg contributors
 * SPDX-License-Identifier: EPL-2.0
 */
package io.hvdbg.debug.ui.views;

import org.eclipse.debug.core.ILaunch;
import org.eclipse.debug.core.model.IDebugElement;
import org.eclipse.debug.core.model.IProcess;
import org.eclipse.debug.core.model.IStackFrame;
import org.eclipse.jface.viewers.ISelection;
import org.eclipse.jface.viewers.IStructuredSelection;

import io.hvdbg.debug.core.model.VcpuThread;
import io.hvdbg.debug.core.model.VmDebugTarget;

/**
 * What the hypervisor views show: a VM's debug target and the selected vCPU (-1 when the VM
 * itself, its launch or its process is selected).
 */
public record DebugContextTarget(VmDebugTarget target, int vcpu) {

    /** The first hvdbg VM or vCPU in a debug-context selection, or null. */
    public static DebugContextTarget of(ISelection selection) {
        if (selection instanceof IStructuredSelection s) {
            for (Object o : s.toList()) {
                DebugContextTarget t = of(o);
                if (t != null) {
                    return t;
                }
            }
        }
        return null;
    }

    static DebugContextTarget of(Object o) {
        if (o instanceof IStackFrame f && f.getThread() instanceof VcpuThread t) {
            return new DebugContextTarget(t.getDebugTarget(), t.vcpu());
        }
        if (o instanceof VcpuThread t) {
            return new DebugContextTarget(t.getDebugTarget(), t.vcpu());
        }
        if (o instanceof IDebugElement e && e.getDebugTarget() instanceof VmDebugTarget t) {
            return new DebugContextTarget(t, -1);
        }
        if (o instanceof ILaunch l && l.getDebugTarget() instanceof VmDebugTarget t) {
            return new DebugContextTarget(t, -1);
        }
        if (o instanceof IProcess p && p.getLaunch() != null && p.getLaunch().getDebugTarget() instanceof VmDebugTarget t) {
            return new DebugContextTarget(t, -1);
        }
        return null;
    }

    /** The vCPU whose per-vCPU data (CPUID, TLB) is shown: the selected one, else vCPU 0. */
    public int vcpuOrFirst() {
        return vcpu < 0 ? 0 : vcpu;
    }
}
