/*
 * Copyright (c) 2026 hvdbg contributors
 * SPDX-License-Identifier: EPL-2.0
 */
package io.hvdbg.debug.core.model;

import java.util.concurrent.atomic.AtomicBoolean;

import org.eclipse.debug.core.DebugEvent;
import org.eclipse.debug.core.DebugException;
import org.eclipse.debug.core.ILaunch;
import org.eclipse.debug.core.model.IProcess;

import io.hvdbg.core.StopEvent;
import io.hvdbg.core.StopReason;
import io.hvdbg.core.VirtualMachine;
import io.hvdbg.core.VmListener;
import io.hvdbg.debug.core.HvdbgDebugCore;

/**
 * A guest running in hvdbg's embedded core, as an Eclipse process: its console is the process
 * console (typing sends guest input), it terminates when the guest shuts down (exit value =
 * the guest's exit status per the command-line contract) or when the user terminates it, and an
 * error stop of the core is reported on the console's error stream.
 */
public final class VmProcess extends GuestProcess implements VmListener, IVcpuStateProvider {
    /** {@link IProcess#ATTR_PROCESS_TYPE} of hvdbg VM processes. */
    public static final String PROCESS_TYPE = "io.hvdbg.vm";

    private final VirtualMachine vm;
    private final Thread flusher;
    private volatile boolean terminated;
    private volatile int exitValue = -1;
    private volatile VcpuStateSnapshot lastState;
    /** Set when a debugger (the debug model over the stub) drives the VM; this process then only shows it. */
    private volatile boolean debugged;
    private final AtomicBoolean finishing = new AtomicBoolean();
    private volatile Runnable onUserTerminate;

    public VmProcess(ILaunch launch, VirtualMachine vm, String label) {
        super(launch, label, PROCESS_TYPE, new GuestStreamsProxy(vm.console()));
        this.vm = vm;
        vm.addListener(this);
        // Prompts without a newline (login:, shells) reach the console within a blink.
        flusher = new Thread(this::flushPeriodically, "hvdbg-console-" + label);
        flusher.setDaemon(true);
    }

    /** Starts the guest: registers with the launch, then runs the VM. */
    public void start() {
        register();
        flusher.start();
        vm.setStopWhenIdleForever(true);
        vm.start();
        vm.resume();
    }

    /**
     * Starts showing a VM a debugger drives: registers with the launch and starts the VM
     * thread, but leaves the VM stopped for the debugger.
     *
     * @param onUserTerminate run when the user terminates this process (ends the debug session too)
     */
    public void startDebugged(Runnable onUserTerminate) {
        debugged = true;
        this.onUserTerminate = onUserTerminate;
        register();
        flusher.start();
        vm.start();
    }

    /**
     * The debugger let go of the VM (Disconnect): from now on this process runs it as in Run
     * mode. The stub has already removed the debugger's breakpoints and resumed the VM.
     */
    public void debuggerDetached() {
        debugged = false;
        onUserTerminate = null;
        if (!terminated && vm.runState() == VirtualMachine.RunState.PAUSED) {
            vm.resume();
        }
    }

    /**
     * The debug session over this VM ended (not by a disconnect): the process ends with the
     * guest's exit status if it has one, else as terminated. The VM thread may report the
     * guest's shutdown after the stub did, so the status is taken from the VM, not the order.
     */
    public void debugSessionEnded() {
        int status = vm.exitStatus();
        if (status >= 0) {
            finish(status, null);
        } else {
            finish(-1, "hvdbg: the debug session ended");
        }
    }

    public VirtualMachine virtualMachine() {
        return vm;
    }

    // ---- VmListener (VM thread) ------------------------------------------------------------

    @Override
    public void stopped(StopEvent event) {
        lastState = VcpuStateSnapshot.capture(vm, event.vcpu(), event.reason().name().toLowerCase());
        streams.flush();
        if (event.reason() == StopReason.SHUTDOWN) {
            finish(event.exitStatus(), null);
        } else if (event.reason() == StopReason.ERROR) {
            finish(-1, "hvdbg: the VM stopped with an error: " + event.message());
        } else if (!terminated && !debugged) {
            // Run mode has no debugger: nothing else should stop the VM, so let it go on.
            vm.resume();
        }
    }

    private void finish(int status, String message) {
        // A user's terminate runs the debug target's end (on its worker, which calls
        // debugSessionEnded) and then finishes here: only the first may write its line and close,
        // the other would write to a console the first one's TERMINATE already closed.
        if (!finishing.compareAndSet(false, true)) {
            return;
        }
        if (message != null) {
            streams.message(message);
        }
        exitValue = status;
        terminated = true;
        streams.dispose();
        flusher.interrupt();
        vm.removeListener(this);
        vm.terminate();
        fire(DebugEvent.TERMINATE);
    }

    private void flushPeriodically() {
        while (!terminated) {
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                return;
            }
            streams.flush();
        }
    }

    // ---- IProcess ------------------------------------------------------------------------

    @Override
    public int getExitValue() throws DebugException {
        if (!terminated) {
            throw new DebugException(HvdbgDebugCore.error("the guest " + getLabel() + " has not ended yet", null));
        }
        return exitValue;
    }

    @Override
    public boolean canTerminate() {
        return !terminated;
    }

    @Override
    public boolean isTerminated() {
        return terminated;
    }

    @Override
    public void terminate() {
        Runnable hook = onUserTerminate;
        if (hook != null && !terminated) {
            hook.run();
        }
        finish(-1, "hvdbg: terminated by the user");
    }

    // ---- IVcpuStateProvider ----------------------------------------------------------------

    @Override
    public VcpuStateSnapshot vcpuState() {
        return lastState;
    }

    @Override
    public <T> T getAdapter(Class<T> adapter) {
        if (adapter == IVcpuStateProvider.class) {
            return adapter.cast(this);
        }
        return super.getAdapter(adapter);
    }
}
