/*
 * Copyright (c) 2026 hvdbg contributors
 * SPDX-License-Identifier: EPL-2.0
 */
package io.hvdbg.debug.ui.actions;

import org.eclipse.core.runtime.IAdaptable;
import org.eclipse.debug.ui.DebugUITools;
import org.eclipse.jface.viewers.ISelection;
import org.eclipse.jface.viewers.IStructuredSelection;

import io.hvdbg.debug.core.model.VcpuStackFrame;
import io.hvdbg.debug.core.model.VcpuThread;

/** The vCPU thread a command acts on: the one selected in the Debug view (or its frame). */
final class DebugSelection {
    private DebugSelection() {
    }

    static VcpuThread thread(ISelection selection) {
        Object o = selection instanceof IStructuredSelection s && !s.isEmpty() ? s.getFirstElement() : null;
        return thread(o);
    }

    static VcpuThread thread(Object o) {
        if (o instanceof VcpuThread t) {
            return t;
        }
        if (o instanceof VcpuStackFrame f) {
            return (VcpuThread) f.getThread();
        }
        if (o instanceof IAdaptable a) {
            return a.getAdapter(VcpuThread.class);
        }
        return null;
    }

    /** The current debug context's vCPU thread, or null. */
    static VcpuThread current() {
        return thread(DebugUITools.getDebugContext());
    }
}
