/*
 * Copyright (c) 2026 hvdbg contributors
 * SPDX-License-Identifier: EPL-2.0
 */
package io.hvdbg.debug.tests.model;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;

import org.eclipse.core.runtime.CoreException;
import org.eclipse.debug.core.DebugEvent;
import org.eclipse.debug.core.DebugPlugin;
import org.eclipse.debug.core.IBreakpointManager;
import org.eclipse.debug.core.IDebugEventSetListener;
import org.eclipse.debug.core.model.IBreakpoint;

import io.hvdbg.debug.core.model.HvdbgDebugElement;
import io.hvdbg.debug.core.model.VcpuThread;

/** Helpers for tests of the debug model: waiting for states and recording debug events. */
public final class DebugSessions {
    /** Generous: the machine has 2 shared cores and other builds may run. */
    public static final long TIMEOUT_MS = 60_000;

    private DebugSessions() {
    }

    /** Waits until the condition holds; fails naming what was awaited. */
    public static void await(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.currentTimeMillis() + TIMEOUT_MS;
        while (!condition.getAsBoolean()) {
            if (System.currentTimeMillis() > deadline) {
                assertTrue(condition.getAsBoolean(), "timed out waiting for: " + what);
            }
            Thread.sleep(10);
        }
    }

    /** Removes the hvdbg breakpoints earlier tests left in the workspace. */
    public static void removeExitBreakpoints() throws CoreException {
        IBreakpointManager m = DebugPlugin.getDefault().getBreakpointManager();
        IBreakpoint[] bs = m.getBreakpoints(HvdbgDebugElement.MODEL_ID);
        if (bs.length > 0) {
            m.removeBreakpoints(bs, true);
        }
    }

    /** Records the suspend events of vCPU threads, with their details. */
    public static final class SuspendRecorder implements IDebugEventSetListener, AutoCloseable {
        private final List<int[]> events = new ArrayList<>();

        public SuspendRecorder() {
            DebugPlugin.getDefault().addDebugEventListener(this);
        }

        @Override
        public synchronized void handleDebugEvents(DebugEvent[] set) {
            for (DebugEvent e : set) {
                if (e.getKind() == DebugEvent.SUSPEND && e.getSource() instanceof VcpuThread t) {
                    events.add(new int[] {t.vcpu(), e.getDetail()});
                }
            }
        }

        public synchronized int count() {
            return events.size();
        }

        /** Detail of the last suspend event of a vCPU that stopped the VM (not CLIENT_REQUEST of the others). */
        public synchronized int lastDetail() {
            return events.isEmpty() ? -1 : events.get(events.size() - 1)[1];
        }

        /** Runs the action and waits for the next suspend event. */
        public void runAndAwaitSuspend(String what, Runnable action) throws InterruptedException {
            int before = count();
            action.run();
            await(what, () -> count() > before);
        }

        @Override
        public void close() {
            DebugPlugin.getDefault().removeDebugEventListener(this);
        }
    }
}
