/*
 * Copyright (c) 2026 hvdbg contributors
 * SPDX-License-Identifier: EPL-2.0
 */
package io.hvdbg.core;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import io.hvdbg.core.debug.BreakpointRegistry;
import io.hvdbg.core.debug.ExitBreakpoint;
import io.hvdbg.core.debug.ExitBreakpointRegistry;
import io.hvdbg.core.debug.Watchpoint;
import io.hvdbg.core.debug.WatchpointRegistry;
import io.hvdbg.core.exit.ExitHandler;
import io.hvdbg.core.exit.ExitInfo;
import io.hvdbg.core.exit.ExitStatistics;
import io.hvdbg.core.exit.ExitTrace;
import io.hvdbg.core.inspect.FeatureReport;
import io.hvdbg.core.inspect.StateRow;
import io.hvdbg.core.memory.GuestMemory;
import io.hvdbg.core.memory.IoPortBus;
import io.hvdbg.core.tlb.TlbModel;
import io.hvdbg.core.vcpu.VcpuState;

/**
 * A virtual machine: guest memory, vCPUs, devices, the exit trace and statistics, debug
 * registries, and run control.
 *
 * <p><b>Execution.</b> One VM thread runs all vCPUs round-robin, {@link #QUANTUM} guest
 * nanoseconds per round, so a run with N vCPUs repeats exactly. When every vCPU is halted,
 * guest time jumps to the next timer deadline (nothing is simulated in between).
 *
 * <p><b>Exits.</b> The interpreter fills the vCPU's {@link ExitInfo} and calls
 * {@link Vcpu#vmExit()}; the VM checks exit breakpoints, dispatches the architecture's handler
 * table, then records the exit with its handling time in the {@link ExitTrace} and
 * {@link ExitStatistics}. An exit breakpoint stops the VM before the handler runs; resuming
 * runs it first.
 *
 * <p><b>Run control</b> ({@link #resume}, {@link #step}, {@link #pause}, {@link #terminate}) may
 * be called from any thread; stops are reported to {@link VmListener}s (all-stop).
 */
public abstract class VirtualMachine {
    /** Guest nanoseconds each vCPU runs per scheduling round. */
    public static final long QUANTUM = 10_000;
    /**
     * Round length right after a resume while breakpoints are set on a VM with several vCPUs:
     * one instruction each, so the vCPUs interleave finely as on real hardware. A debugger that
     * single-steps by planting a breakpoint at the next instruction and resuming all threads
     * (gdb on RISC-V) then sees the stepped vCPU arrive first, instead of another vCPU running a
     * whole quantum through the same code and hitting the breakpoint every time.
     */
    public static final long DEBUG_QUANTUM = 1;
    /** Guest nanoseconds after a resume that run with {@link #DEBUG_QUANTUM}; then rounds are full length again. */
    public static final long DEBUG_WINDOW = 1_000;
    /** Rounds a runnable vCPU may make no progress in before the core reports an internal error. */
    private static final int MAX_STALLED_ROUNDS = 1000;

    /** Whether the VM thread is running guest code. */
    public enum RunState { PAUSED, RUNNING, TERMINATED }

    private enum Command { RUN, STEP }

    protected final VmConfig config;
    private final GuestMemory memory = new GuestMemory();
    private final IoPortBus ioPorts = new IoPortBus();
    private final GuestConsole console = new GuestConsole(1 << 20);
    private final List<Vcpu> vcpus = new ArrayList<>();
    private final ExitTrace trace;
    private final ExitStatistics statistics = new ExitStatistics();
    private final BreakpointRegistry breakpoints = new BreakpointRegistry();
    private final WatchpointRegistry watchpoints = new WatchpointRegistry();
    private final ExitBreakpointRegistry exitBreakpoints = new ExitBreakpointRegistry();
    private final CopyOnWriteArrayList<VmListener> listeners = new CopyOnWriteArrayList<>();

    private final Object lock = new Object();
    // Guarded by lock.
    private RunState runState = RunState.PAUSED;
    private Command command;
    private int stepVcpu;
    /** The vCPUs the posted RUN command runs, or null for all. */
    private BitSet runSet;
    private StopEvent stopEvent;
    private StopEvent lastStop;
    private long stopCount;
    private boolean kicked;
    private boolean terminateRequested;
    private Thread thread;

    private volatile boolean stopRequested;
    private volatile boolean stopWhenIdleForever;
    private volatile long guestTimeLimit = Long.MAX_VALUE;
    private volatile int exitStatus = -1;
    private boolean tracing = true;
    // VM thread only.
    private int currentVcpu;
    private long clock;

    protected VirtualMachine(VmConfig config) {
        this.config = config;
        this.trace = new ExitTrace(config.traceBytes());
        this.tracing = !"off".equals(config.option("trace", "on"));
    }

    // ---- description ----------------------------------------------------------------------

    public abstract Architecture architecture();

    public VmConfig config() {
        return config;
    }

    public GuestMemory memory() {
        return memory;
    }

    public IoPortBus ioPorts() {
        return ioPorts;
    }

    public GuestConsole console() {
        return console;
    }

    public ExitTrace trace() {
        return trace;
    }

    public ExitStatistics statistics() {
        return statistics;
    }

    public BreakpointRegistry breakpoints() {
        return breakpoints;
    }

    public WatchpointRegistry watchpoints() {
        return watchpoints;
    }

    public ExitBreakpointRegistry exitBreakpoints() {
        return exitBreakpoints;
    }

    public List<Vcpu> vcpus() {
        return List.copyOf(vcpus);
    }

    public Vcpu vcpu(int index) {
        return vcpus.get(index);
    }

    public int vcpuCount() {
        return vcpus.size();
    }

    /** Architectures add their vCPUs while constructing the machine. */
    protected void addVcpu(Vcpu v) {
        if (v.index() != vcpus.size()) {
            throw new IllegalArgumentException("vCPU index " + v.index() + " out of order");
        }
        vcpus.add(v);
    }

    /** Records exits in the trace (statistics are always kept). */
    public void setTracing(boolean on) {
        this.tracing = on;
    }

    public boolean tracing() {
        return tracing;
    }

    /** System state rows of a vCPU for views and {@code monitor vcpu}; empty if the architecture has none. */
    public List<StateRow> systemState(int vcpu) {
        return List.of();
    }

    /** CPUID (x86) or ISA extensions (RISC-V) of a vCPU, or null if not modelled. */
    public FeatureReport features(int vcpu) {
        return null;
    }

    /** The TLB model of a vCPU, or null if not modelled. */
    public TlbModel tlb(int vcpu) {
        return null;
    }

    /**
     * Called on the VM thread at the start of every scheduling round and when an idle VM is
     * woken: devices take host input here (e.g. a UART raising its receive interrupt).
     */
    protected void pollExternalEvents() {
    }

    // ---- run control (any thread) ---------------------------------------------------------

    /** Starts the VM thread; the VM stays paused until {@link #resume} or {@link #step}. */
    public void start() {
        synchronized (lock) {
            if (thread != null) {
                return;
            }
            thread = new Thread(this::vmThreadMain, "hvdbg-vm-" + architecture().cliName());
            thread.setDaemon(true);
            thread.start();
        }
    }

    public RunState runState() {
        synchronized (lock) {
            return runState;
        }
    }

    /** Runs all vCPUs until something stops the VM. No effect if already running. */
    public void resume() {
        post(Command.RUN, 0, null);
    }

    /**
     * Runs only the given vCPUs until something stops the VM; the others stay where they are,
     * their guest time passing as for a stopped vCPU (a debugger's {@code vCont;c:TID} with the
     * other threads held). {@code null} runs all. No effect if already running.
     */
    public void resume(BitSet vcpus) {
        if (vcpus != null) {
            for (int i = vcpus.nextSetBit(0); i >= 0; i = vcpus.nextSetBit(i + 1)) {
                checkVcpu(i);
            }
        }
        post(Command.RUN, 0, vcpus == null || vcpus.cardinality() == vcpuCount() ? null : (BitSet) vcpus.clone());
    }

    /** Executes one instruction on one vCPU (the others stay stopped), then stops with {@link StopReason#STEP}. */
    public void step(int vcpu) {
        checkVcpu(vcpu);
        post(Command.STEP, vcpu, null);
    }

    /** Resumes until {@code vcpu} takes its next exit (any reason, or {@code reason} if not null). */
    public ExitBreakpoint stepToExit(int vcpu, String reason) {
        checkVcpu(vcpu);
        ExitBreakpoint b = exitBreakpoints.add(reason == null ? "any" : reason, null, vcpu, true);
        resume();
        return b;
    }

    private void checkVcpu(int vcpu) {
        if (vcpu < 0 || vcpu >= vcpus.size()) {
            throw new IllegalArgumentException("no vCPU " + vcpu + " (the VM has " + vcpus.size() + ")");
        }
    }

    private void post(Command c, int vcpu, BitSet only) {
        synchronized (lock) {
            if (runState == RunState.TERMINATED) {
                throw new IllegalStateException("the VM has terminated");
            }
            if (runState == RunState.RUNNING) {
                return;
            }
            start();
            command = c;
            stepVcpu = vcpu;
            runSet = only;
            stopEvent = null;
            stopRequested = false;
            runState = RunState.RUNNING;
            lock.notifyAll();
        }
    }

    /** Asks a running VM to stop; it reports {@link StopReason#PAUSED} unless something else stops it first. */
    public void pause() {
        requestStop(StopEvent.paused(currentVcpu));
    }

    /** Ends the VM for good; the VM thread exits. */
    public void terminate() {
        synchronized (lock) {
            terminateRequested = true;
            if (runState != RunState.RUNNING) {
                runState = RunState.TERMINATED;
            }
            stopRequested = true;
            lock.notifyAll();
        }
    }

    /** Number of stops so far; pair with {@link #awaitStop(long, long)} to wait for the next one. */
    public long stopCount() {
        synchronized (lock) {
            return stopCount;
        }
    }

    /**
     * Waits until the VM has stopped more than {@code afterCount} times and is not running;
     * returns the last stop, or null on timeout.
     */
    public StopEvent awaitStop(long afterCount, long timeoutMillis) throws InterruptedException {
        long deadline = System.nanoTime() + timeoutMillis * 1_000_000;
        synchronized (lock) {
            while (stopCount <= afterCount || runState == RunState.RUNNING) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return null;
                }
                lock.wait(Math.max(1, left / 1_000_000));
            }
            return lastStop;
        }
    }

    /** Resumes and waits for the next stop (convenience for tests and the CLI); null on timeout. */
    public StopEvent runUntilStop(long timeoutMillis) throws InterruptedException {
        long n = stopCount();
        resume();
        return awaitStop(n, timeoutMillis);
    }

    /** Steps and waits for the stop; null on timeout. */
    public StopEvent stepAndWait(int vcpu, long timeoutMillis) throws InterruptedException {
        long n = stopCount();
        step(vcpu);
        return awaitStop(n, timeoutMillis);
    }

    /** The most recent stop, or null. */
    public StopEvent lastStop() {
        synchronized (lock) {
            return lastStop;
        }
    }

    /** Exit status the guest ended with (debug-exit / SRST per the contract), or -1 while it has not. */
    public int exitStatus() {
        return exitStatus;
    }

    public void addListener(VmListener l) {
        listeners.add(l);
    }

    public void removeListener(VmListener l) {
        listeners.remove(l);
    }

    /** Wakes an idle VM (all vCPUs halted) to look at external events again. */
    public void kick() {
        synchronized (lock) {
            kicked = true;
            lock.notifyAll();
        }
    }

    /**
     * When set, a VM whose vCPUs are all halted or stopped with no timer armed stops with an
     * error instead of waiting for outside input (for batch runs: such a guest can never run again).
     */
    public void setStopWhenIdleForever(boolean on) {
        stopWhenIdleForever = on;
        kick();
    }

    /**
     * A run pauses at the end of the scheduling round in which the VM clock reaches {@code ns}
     * of guest time ({@link Long#MAX_VALUE}: never). Guest time is virtual, so such a run is the
     * same on any host at any load: deterministic budgets for fuzzing and batch runs.
     */
    public void setGuestTimeLimit(long ns) {
        guestTimeLimit = ns;
    }

    // ---- called by the architecture on the VM thread ------------------------------------------

    /** True once something asked the VM to stop; interpreters poll it and return from execute. */
    public final boolean stopRequested() {
        return stopRequested;
    }

    /** Index of the vCPU the VM thread is running (or last ran). */
    public final int currentVcpu() {
        return currentVcpu;
    }

    /** Start of the current scheduling round in guest time. */
    public final long clock() {
        return clock;
    }

    /** The guest ended with a status per the command-line contract; the VM terminates at this point. */
    public void shutdown(int vcpu, int status, String message) {
        exitStatus = status;
        requestStop(StopEvent.shutdown(vcpu, status, message));
    }

    /** The guest faulted beyond recovery (x86 triple fault); the VM terminates as on a shutdown. */
    public void faultShutdown(int vcpu, String message) {
        exitStatus = 0;
        requestStop(StopEvent.faultShutdown(vcpu, message));
    }

    /** The core cannot go on (a condition KVM would report as an internal error); the VM pauses with the message. */
    public void fail(int vcpu, String message) {
        requestStop(StopEvent.error(vcpu, message));
    }

    /** A watchpoint triggered; the interpreter finishes the instruction, then returns. */
    public void stopAtWatchpoint(Vcpu v, Watchpoint w, long address) {
        requestStop(StopEvent.watchpoint(v.index(), w, address));
    }

    /** Used by {@link Vcpu#checkBreakpoint}. */
    public void stopAtBreakpoint(Vcpu v, long pc) {
        requestStop(StopEvent.breakpoint(v.index(), pc));
    }

    private static int priority(StopReason r) {
        return switch (r) {
            case SHUTDOWN -> 5;
            case ERROR -> 4;
            case EXIT_BREAKPOINT, BREAKPOINT, WATCHPOINT -> 3;
            case STEP -> 2;
            case PAUSED -> 1;
        };
    }

    private void requestStop(StopEvent e) {
        synchronized (lock) {
            if (stopEvent == null || priority(e.reason()) > priority(stopEvent.reason())) {
                stopEvent = e;
            }
            stopRequested = true;
            lock.notifyAll();
        }
    }

    /** Exit path from {@link Vcpu#vmExit()}. */
    public final boolean onExit(Vcpu v) {
        ExitInfo e = v.currentExit();
        if (exitBreakpoints.isActive()) {
            ExitBreakpoint b = exitBreakpoints.match(v.index(), e);
            if (b != null) {
                record(v, e, 0);
                v.markPendingExit();
                requestStop(StopEvent.exitBreakpoint(v.index(), b, e.toVmExit(v.index(), 0)));
                return false;
            }
        }
        return dispatch(v, e, false);
    }

    private boolean dispatch(Vcpu v, ExitInfo e, boolean recorded) {
        long t0 = System.nanoTime();
        int result = handle(v, e);
        long duration = System.nanoTime() - t0;
        if (!recorded) {
            record(v, e, duration);
        }
        if (result == ExitHandler.EXIT_TO_USER && !stopRequested) {
            fail(v.index(), "exit handler for " + e.reason.name() + " returned to the VMM without a reason");
        }
        return !stopRequested;
    }

    private void record(Vcpu v, ExitInfo e, long duration) {
        e.seq = tracing ? trace.record(v.index(), e.reason.id(), e.time, duration, e.pc, e.qualification, e.info2,
                e.context) : -1;
        statistics.count(v.index(), e.reason.id(), duration);
        v.rememberExit(e.seq);
    }

    private static int handle(Vcpu v, ExitInfo e) {
        return v.handleExit(e);
    }

    // ---- the VM thread ----------------------------------------------------------------------

    private void vmThreadMain() {
        while (true) {
            Command c;
            int v;
            BitSet only;
            int reported;
            synchronized (lock) {
                while (command == null && !terminateRequested) {
                    try {
                        lock.wait();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        return;
                    }
                }
                if (terminateRequested) {
                    runState = RunState.TERMINATED;
                    lock.notifyAll();
                    return;
                }
                c = command;
                v = stepVcpu;
                only = runSet;
                reported = lastStop == null ? -1 : lastStop.vcpu();
                command = null;
            }
            for (VmListener l : listeners) {
                l.resumed();
            }
            StopEvent ev;
            try {
                ev = c == Command.STEP ? doStep(vcpus.get(v)) : doRun(only, reported);
            } catch (Throwable t) {
                ev = internalError(t);
            }
            boolean terminated;
            synchronized (lock) {
                terminated = ev.reason() == StopReason.SHUTDOWN || terminateRequested;
                runState = terminated ? RunState.TERMINATED : RunState.PAUSED;
                lastStop = ev;
                stopCount++;
                lock.notifyAll();
            }
            for (VmListener l : listeners) {
                try {
                    l.stopped(ev);
                } catch (RuntimeException ex) {
                    // A listener's bug must not take the VM down.
                    System.err.println("hvdbg: listener failed on stop: " + ex);
                }
            }
            if (terminated) {
                return;
            }
        }
    }

    private volatile Throwable lastInternalError;

    /**
     * The last Java exception that escaped an architecture's code into the run loop (a bug:
     * guest behaviour must end as a guest-visible fault, an exit or a clean stop), or null.
     * Robustness tests and fuzzers check it; users see the ERROR stop's message.
     */
    public Throwable lastInternalError() {
        return lastInternalError;
    }

    private StopEvent internalError(Throwable t) {
        lastInternalError = t;
        Vcpu v = currentVcpu < vcpus.size() ? vcpus.get(currentVcpu) : null;
        String where = v == null ? "" : String.format(" (vCPU %d at pc 0x%x)", v.index(), safePc(v));
        if (Boolean.getBoolean("hvdbg.debug")) {
            t.printStackTrace();
        }
        return StopEvent.error(currentVcpu, "internal error in the " + architecture().cliName() + " core" + where
                + ": " + t);
    }

    private static long safePc(Vcpu v) {
        try {
            return v.pc();
        } catch (RuntimeException e) {
            return -1;
        }
    }

    private StopEvent takeStopEvent(StopEvent fallback) {
        synchronized (lock) {
            StopEvent e = stopEvent != null ? stopEvent : fallback;
            stopEvent = null;
            stopRequested = false;
            return e;
        }
    }

    /**
     * Runs the vCPUs in {@code only} (all if null). Only {@code reported}, the vCPU the last
     * stop was reported for, continues past a breakpoint at its PC; another vCPU that reached a
     * breakpoint without it being reported (two arrived in the same round) reports it at once,
     * as a debugger that plants step breakpoints expects.
     */
    private StopEvent doRun(BitSet only, int reported) {
        for (Vcpu v : vcpus) {
            if ((only == null || only.get(v.index())) && v.index() == reported) {
                v.prepareResume();
            }
            clock = Math.max(clock, v.time());
        }
        // Finish exits the VM stopped at before anything else runs.
        for (Vcpu v : vcpus) {
            if ((only == null || only.get(v.index())) && v.hasPendingExit() && !runPendingExit(v)) {
                return takeStopEvent(StopEvent.paused(v.index()));
            }
        }
        int stalled = 0;
        long fineUntil = vcpus.size() > 1 ? clock + DEBUG_WINDOW : clock;
        while (!stopRequested) {
            pollExternalEvents();
            long roundEnd = clock + (clock < fineUntil && breakpoints.isActive() ? DEBUG_QUANTUM : QUANTUM);
            long progress = 0;
            for (int i = 0; i < vcpus.size() && !stopRequested; i++) {
                Vcpu v = vcpus.get(i);
                if (only != null && !only.get(i)) {
                    v.advanceTimeTo(roundEnd); // held by the debugger: like a stopped vCPU
                    continue;
                }
                currentVcpu = i;
                long before = v.instructions();
                runVcpuUntil(v, roundEnd);
                progress += v.instructions() - before;
            }
            if (stopRequested) {
                break;
            }
            clock = roundEnd;
            if (clock >= guestTimeLimit) {
                requestStop(StopEvent.paused(currentVcpu));
                break;
            }
            if (!anyRunnable(only)) {
                idle(only);
                stalled = 0;
            } else if (progress == 0 && ++stalled > MAX_STALLED_ROUNDS) {
                fail(currentVcpu, "no vCPU retired an instruction in " + MAX_STALLED_ROUNDS + " rounds");
            } else if (progress != 0) {
                stalled = 0;
            }
        }
        return takeStopEvent(StopEvent.paused(currentVcpu));
    }

    private boolean runPendingExit(Vcpu v) {
        currentVcpu = v.index();
        v.clearPendingExit();
        return dispatch(v, v.currentExit(), true);
    }

    private void runVcpuUntil(Vcpu v, long roundEnd) {
        while (v.time() < roundEnd && !stopRequested) {
            switch (v.state()) {
                case STOPPED -> {
                    v.advanceTimeTo(roundEnd);
                    return;
                }
                case HALTED -> {
                    long wake = v.nextEventTime();
                    if (wake >= roundEnd) {
                        v.advanceTimeTo(roundEnd);
                        return;
                    }
                    v.advanceTimeTo(wake);
                    long t = v.time();
                    v.execute(roundEnd - t);
                    if (v.state() == VcpuState.HALTED && v.time() == t) {
                        // The wake-up did not take (interrupt masked): idle to the end of the round.
                        v.advanceTimeTo(roundEnd);
                        return;
                    }
                }
                case RUNNABLE -> {
                    long t = v.time();
                    v.execute(roundEnd - t);
                    if (v.time() == t && v.state() == VcpuState.RUNNABLE) {
                        return; // no progress (stop, or exit without retiring): let the round go on
                    }
                }
            }
        }
    }

    private boolean anyRunnable(BitSet only) {
        for (Vcpu v : vcpus) {
            if ((only == null || only.get(v.index())) && v.state() == VcpuState.RUNNABLE) {
                return true;
            }
        }
        return false;
    }

    /** All vCPUs halted or stopped: jump to the next timer deadline, or wait for an outside event. */
    private void idle(BitSet only) {
        long next = Long.MAX_VALUE;
        for (Vcpu v : vcpus) {
            if ((only == null || only.get(v.index())) && v.state() == VcpuState.HALTED) {
                next = Math.min(next, v.nextEventTime());
            }
        }
        if (next != Long.MAX_VALUE) {
            clock = Math.max(clock, next);
            for (Vcpu v : vcpus) {
                v.advanceTimeTo(clock);
            }
            return;
        }
        synchronized (lock) {
            while (!kicked && !stopRequested) {
                if (stopWhenIdleForever) {
                    requestStop(StopEvent.error(currentVcpu,
                            "all vCPUs are halted or stopped and no timer is armed: the guest can never run again"));
                    break;
                }
                try {
                    lock.wait();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    requestStop(StopEvent.paused(currentVcpu));
                }
            }
            kicked = false;
        }
    }

    private StopEvent doStep(Vcpu v) {
        currentVcpu = v.index();
        if (v.hasPendingExit()) {
            long exitPc = v.currentExit().pc;
            boolean resume = runPendingExit(v);
            // Cores that complete an exiting instruction by replaying it (x86 here, as QEMU and
            // KVM's complete_userspace_io do) still stand on it: one more instruction finishes
            // it, so a step from an exit stop always leaves the instruction done.
            if (resume && !stopRequested && v.state() == VcpuState.RUNNABLE && v.pc() == exitPc) {
                v.execute(1);
                clock = Math.max(clock, v.time());
            }
            return takeStopEvent(StopEvent.step(v.index()));
        }
        v.prepareResume();
        if (v.state() == VcpuState.HALTED) {
            long wake = v.nextEventTime();
            if (wake != Long.MAX_VALUE) {
                v.advanceTimeTo(wake);
            }
        }
        if (v.state() != VcpuState.STOPPED) {
            v.execute(1);
        }
        clock = Math.max(clock, v.time());
        StopEvent e = takeStopEvent(StopEvent.step(v.index()));
        return e.reason() == StopReason.PAUSED ? StopEvent.step(v.index()) : e;
    }
}
