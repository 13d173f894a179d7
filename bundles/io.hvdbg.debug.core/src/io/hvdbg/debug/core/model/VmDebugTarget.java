/*
 * Copyright (c) 2026 hvdbg contributors
 * SPDX-License-Identifier: EPL-2.0
 */
package io.hvdbg.debug.core.model;

import java.io.IOException;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Consumer;

import org.eclipse.core.resources.IMarkerDelta;
import org.eclipse.core.runtime.CoreException;
import org.eclipse.debug.core.DebugEvent;
import org.eclipse.debug.core.DebugException;
import org.eclipse.debug.core.DebugPlugin;
import org.eclipse.debug.core.IBreakpointManager;
import org.eclipse.debug.core.IBreakpointManagerListener;
import org.eclipse.debug.core.ILaunch;
import org.eclipse.debug.core.model.IBreakpoint;
import org.eclipse.debug.core.model.IDebugElement;
import org.eclipse.debug.core.model.IDebugTarget;
import org.eclipse.debug.core.model.IMemoryBlock;
import org.eclipse.debug.core.model.IMemoryBlockExtension;
import org.eclipse.debug.core.model.IMemoryBlockRetrievalExtension;
import org.eclipse.debug.core.model.IProcess;

import io.hvdbg.core.loader.ElfImage;
import io.hvdbg.core.loader.ElfSymbol;
import io.hvdbg.core.vcpu.RegisterDescriptor;
import io.hvdbg.debug.core.HvdbgDebugCore;
import io.hvdbg.debug.core.breakpoints.ExitReasonBreakpoint;
import io.hvdbg.rsp.client.HvdbgExtensions;
import io.hvdbg.rsp.client.RspClient;
import io.hvdbg.rsp.client.StopReply;
import io.hvdbg.rsp.client.TargetDescription;
import io.hvdbg.rsp.client.ThreadInfo;
import io.hvdbg.rsp.ext.ExitDetail;
import io.hvdbg.rsp.ext.VcpuSnapshot;

/**
 * A virtual machine as an Eclipse debug target, over the GDB remote protocol: one
 * {@link VcpuThread} per vCPU (all-stop, as gdb's default), registers grouped from the
 * target description, memory for the Memory view, exit-reason breakpoints and stepping from
 * one VM exit to the next through hvdbg's stub extensions. Against another stub (QEMU
 * {@code -s}) the standard parts work and the hypervisor features are off with an explanation
 * ({@link #hypervisorFeaturesUnavailable()}).
 *
 * <p><b>Threads.</b> Everything that talks to the stub on behalf of run control and
 * breakpoints runs on one worker thread of this target, in order; stop replies arrive on the
 * client's reader thread and are handed to that worker. Callers (UI commands, views' jobs)
 * never wait for the VM to run. Register and memory reads happen on the caller's thread,
 * which for the platform's views is a background job, never the UI thread.
 */
public final class VmDebugTarget extends HvdbgDebugElement
        implements IDebugTarget, IMemoryBlockRetrievalExtension, IBreakpointManagerListener {

    /** What the last run-control request was, to name the stop that ends it. */
    private enum Run { RESUME, STEP, STEP_TO_EXIT }

    private final ILaunch launch;
    private final RspClient client;
    private final String name;
    private final ElfImage symbols;
    private final ExecutorService worker;
    private final List<Runnable> endListeners = new CopyOnWriteArrayList<>();
    private final List<Consumer<String>> messageListeners = new CopyOnWriteArrayList<>();
    private final Map<ExitReasonBreakpoint, Integer> installed = new ConcurrentHashMap<>();
    private final Map<Integer, Integer> hits = new ConcurrentHashMap<>();

    private IProcess process;
    private HvdbgExtensions hvdbg;
    private String hypervisorUnavailable;
    private TargetDescription description;
    private RegisterDescriptor pcRegister;
    private Map<String, List<RegisterDescriptor>> registerGroups = Map.of();
    private volatile VcpuThread[] threads = new VcpuThread[0];
    private volatile boolean suspended = true;
    /** Set once {@link #start} has read the threads: before, the target claims no state. */
    private volatile boolean started;
    private volatile boolean terminated;
    private volatile boolean disconnected;
    private volatile boolean ending;
    private volatile String endReason;
    private volatile Run run;
    private volatile Runnable cleanup;
    private volatile Runnable onDisconnect;

    /**
     * @param client  a connected client (the target is stopped, as after attaching)
     * @param name    label of the target in the Debug view
     * @param symbols the guest's ELF for symbol names, or null
     * @param cleanup run once when the debug session ends (stops an embedded stub and VM); may be null
     */
    public VmDebugTarget(ILaunch launch, RspClient client, String name, ElfImage symbols, Runnable cleanup) {
        super(null);
        this.launch = launch;
        this.client = client;
        this.name = name;
        this.symbols = symbols;
        this.cleanup = cleanup;
        this.worker = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "hvdbg-debug-" + name);
            t.setDaemon(true);
            return t;
        });
    }

    private final List<String[]> sessionBreakpoints = new ArrayList<>();

    /**
     * Exit breakpoints of this session only (the launch configuration's initial ones), each
     * {reason, condition}; installed by {@link #start} before the guest runs.
     */
    public void addSessionExitBreakpoints(List<String[]> breakpoints) {
        sessionBreakpoints.addAll(breakpoints);
    }

    /**
     * Run instead of the clean-up when the user disconnects (e.g. an embedded VM runs on
     * without the debugger); without it a disconnect cleans up as a termination does.
     */
    public void setDisconnectAction(Runnable action) {
        this.onDisconnect = action;
    }

    /** The process whose console shows the guest (set before {@link #start}); may stay null. */
    public void setProcess(IProcess process) {
        this.process = process;
    }

    /**
     * Reads what the stub offers (description, threads, extensions), installs the exit
     * breakpoints of the workspace and either stays stopped or resumes. Call it off the UI
     * thread (launch delegates run in a job).
     */
    public void start(boolean stopAtEntry) throws DebugException {
        StopReply status;
        List<ThreadInfo> infos;
        try {
            description = client.targetDescription();
            hvdbg = client.hvdbg();
            infos = client.threads();
            status = client.status();
        } catch (IOException | RuntimeException e) {
            throw debugException("Cannot read the target: " + e.getMessage(), e);
        }
        if (hvdbg == null) {
            hypervisorUnavailable = "The GDB stub has no hvdbg extensions (its qSupported reply has no qHvdbg):"
                    + " exit-reason breakpoints, Step to Next VM Exit and the VM-exit views are disabled."
                    + " Registers, memory, stepping and run control work as with any GDB stub.";
        }
        pcRegister = description.programCounter();
        registerGroups = RegisterGroups.of(description.architecture(), description.registers());
        List<VcpuThread> list = new ArrayList<>();
        for (int i = 0; i < infos.size(); i++) {
            ThreadInfo ti = infos.get(i);
            list.add(new VcpuThread(this, ti.id(), hvdbg != null ? (int) ti.id() - 1 : i,
                    ti.name().isEmpty() ? "vCPU " + (hvdbg != null ? ti.id() - 1 : i) : ti.name()));
        }
        threads = list.toArray(new VcpuThread[0]);
        started = true;
        client.addStopListener(s -> submit(() -> stopped(s)));
        client.addCloseListener(() -> submit(this::connectionClosed));
        fireCreationEvent();
        for (VcpuThread t : threads) {
            t.fireCreationEvent();
        }
        if (hypervisorUnavailable != null) {
            message("hvdbg: " + hypervisorUnavailable);
        }
        IBreakpointManager bpm = DebugPlugin.getDefault().getBreakpointManager();
        bpm.addBreakpointListener(this);
        bpm.addBreakpointManagerListener(this);
        submit(() -> {
            for (IBreakpoint b : bpm.getBreakpoints(MODEL_ID)) {
                if (b instanceof ExitReasonBreakpoint e) {
                    install(e);
                }
            }
            for (String[] b : sessionBreakpoints) {
                if (hvdbg == null) {
                    break;
                }
                try {
                    hvdbg.addExitBreakpoint(b[0], b[1], -1, false);
                } catch (IOException | RuntimeException e) {
                    message("hvdbg: exit breakpoint '" + b[0] + (b[1].isEmpty() ? "" : " " + b[1])
                            + "' of the launch configuration was not installed: " + e.getMessage());
                }
            }
            refresh(status, null, null);
            if (!stopAtEntry) {
                startRun(Run.RESUME, null, DebugEvent.CLIENT_REQUEST, () -> client.resume());
            } else {
                fireSuspendEvents(status.thread(), DebugEvent.CLIENT_REQUEST, null);
            }
        });
    }

    // ---- facts -----------------------------------------------------------------------------

    /** Why exit breakpoints and step-to-exit are unavailable (not hvdbg's stub), or null if they are available. */
    public String hypervisorFeaturesUnavailable() {
        return hypervisorUnavailable;
    }

    public boolean hasHypervisorFeatures() {
        return hvdbg != null;
    }

    /** The hvdbg extensions, or null for other stubs. */
    public HvdbgExtensions hvdbg() {
        return hvdbg;
    }

    public RspClient client() {
        return client;
    }

    public TargetDescription targetDescription() {
        return description;
    }

    Map<String, List<RegisterDescriptor>> registerGroups() {
        return registerGroups;
    }

    RegisterDescriptor pcRegister() {
        return pcRegister;
    }

    /** Why the session ended (guest exit status, disconnect …), or null while it runs. */
    public String endReason() {
        return endReason;
    }

    /** Called once when the session has ended. */
    public void addEndListener(Runnable r) {
        endListeners.add(r);
    }

    /** Receives hvdbg's one-line messages about this session (for the console). */
    public void addMessageListener(Consumer<String> l) {
        messageListeners.add(l);
    }

    private void message(String line) {
        for (Consumer<String> l : messageListeners) {
            l.accept(line);
        }
    }

    /** "symbol+0x12" for an address, or null without symbols or a containing symbol. */
    public String symbolAt(long address) {
        if (symbols == null) {
            return null;
        }
        ElfSymbol s = symbols.symbolAt(address);
        if (s == null) {
            return null;
        }
        long off = address - s.value();
        return off == 0 ? s.name() : s.name() + "+0x" + Long.toHexString(off);
    }

    // ---- IDebugTarget ------------------------------------------------------------------------

    @Override
    public IDebugTarget getDebugTarget() {
        return this;
    }

    @Override
    public ILaunch getLaunch() {
        return launch;
    }

    @Override
    public IProcess getProcess() {
        return process;
    }

    @Override
    public VcpuThread[] getThreads() {
        return terminated ? new VcpuThread[0] : threads.clone();
    }

    @Override
    public boolean hasThreads() {
        return !terminated && threads.length > 0;
    }

    @Override
    public String getName() {
        String n = name;
        if (hvdbg == null && description != null) {
            n += " [no hvdbg extensions: hypervisor features disabled]";
        }
        if (terminated) {
            n += " <" + (disconnected ? "disconnected" : "terminated") + (endReason != null ? ": " + endReason : "") + ">";
        }
        return n;
    }

    @Override
    public boolean supportsBreakpoint(IBreakpoint breakpoint) {
        return hvdbg != null && breakpoint instanceof ExitReasonBreakpoint;
    }

    // ---- run control -------------------------------------------------------------------------

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
        if (terminated || ending) {
            return;
        }
        ending = true;
        submitOrRun(() -> {
            try {
                client.kill();
            } catch (IOException e) {
                // the target is gone either way
            }
            finish("terminated");
        });
    }

    @Override
    public boolean canResume() {
        return started && !terminated && suspended;
    }

    @Override
    public boolean canSuspend() {
        return started && !terminated && !suspended;
    }

    @Override
    public boolean isSuspended() {
        return started && !terminated && suspended;
    }

    @Override
    public void resume() {
        if (!canResume()) {
            return;
        }
        submit(() -> startRun(Run.RESUME, null, DebugEvent.CLIENT_REQUEST, () -> client.resume()));
    }

    @Override
    public void suspend() {
        submit(() -> {
            if (!suspended && !terminated) {
                try {
                    client.interrupt();
                } catch (IOException e) {
                    HvdbgDebugCore.log(HvdbgDebugCore.error("Cannot interrupt the target: " + e.getMessage(), e));
                }
            }
        });
    }

    /** Steps one instruction on a vCPU (the others stay stopped). */
    void step(VcpuThread t, int detail) {
        if (!canResume()) {
            return;
        }
        submit(() -> startRun(Run.STEP, t, detail, () -> client.startRun("vCont;s:" + Long.toHexString(t.threadId()))));
    }

    /** True if Step to Next VM Exit can be used now (hvdbg stub, suspended). */
    public boolean canStepToExit() {
        return hvdbg != null && canResume();
    }

    /**
     * Runs until {@code thread}'s vCPU takes its next VM exit ({@code reason}: a category or
     * native name, null for any), stopping before the exit is handled.
     */
    public void stepToExit(VcpuThread thread, String reason) {
        if (!canStepToExit()) {
            return;
        }
        submit(() -> startRun(Run.STEP_TO_EXIT, thread, DebugEvent.STEP_OVER,
                () -> hvdbg.startStepToExit(thread.threadId(), reason)));
    }

    @FunctionalInterface
    private interface RunRequest {
        void send() throws IOException;
    }

    private void startRun(Run kind, VcpuThread stepping, int detail, RunRequest request) {
        if (terminated || !suspended) {
            return;
        }
        suspended = false;
        run = kind;
        for (VcpuThread t : threads) {
            t.resumed();
        }
        try {
            request.send();
        } catch (IOException | RuntimeException e) {
            suspended = true;
            run = null;
            message("hvdbg: cannot run the target: " + e.getMessage());
            HvdbgDebugCore.log(HvdbgDebugCore.error("Cannot run the target: " + e.getMessage(), e));
            return;
        }
        for (VcpuThread t : threads) {
            t.fireResumeEvent(t == stepping ? detail : DebugEvent.CLIENT_REQUEST);
        }
        fireResumeEvent(detail);
    }

    @Override
    public boolean canDisconnect() {
        return !terminated;
    }

    @Override
    public void disconnect() {
        if (terminated || ending) {
            return;
        }
        ending = true;
        submitOrRun(() -> {
            try {
                for (Integer id : installed.values()) {
                    hvdbg.deleteExitBreakpoint(id);
                }
                installed.clear();
                client.detach();
            } catch (IOException | RuntimeException e) {
                // detaching anyway
            }
            disconnected = true;
            finish("disconnected");
        });
    }

    @Override
    public boolean isDisconnected() {
        return disconnected;
    }

    // ---- stops (worker thread) -------------------------------------------------------------------

    private void stopped(StopReply s) {
        if (terminated) {
            return;
        }
        if (s.exited()) {
            finish(s.kind() == StopReply.Kind.EXITED ? "the guest exited with status " + s.code()
                    : "the guest was terminated (signal " + s.code() + ")");
            return;
        }
        Run was = run;
        run = null;
        ExitReasonBreakpoint hit = null;
        if (s.exit() != null) {
            hit = breakpointWithId(s.exit().breakpointId());
            if (hit != null && was != Run.STEP_TO_EXIT) {
                int n = hits.merge(s.exit().breakpointId(), 1, Integer::sum);
                int wanted;
                try {
                    wanted = hit.getHitCount();
                } catch (CoreException e) {
                    wanted = 0;
                }
                if (wanted > 1 && n < wanted) {
                    // Not yet the hit the user asked for: let the guest go on, invisibly.
                    run = was;
                    try {
                        client.resume();
                        return;
                    } catch (IOException e) {
                        run = null;
                    }
                }
            }
        }
        // Frames and labels first: a view that sees the target suspended finds every vCPU's frame.
        refresh(s, hit, was);
        suspended = true;
        int detail = hit != null || s.exit() != null && was != Run.STEP_TO_EXIT || "swbreak".equals(s.reason()) || "hwbreak".equals(s.reason())
                || s.reason() != null && s.reason().endsWith("watch") ? DebugEvent.BREAKPOINT
                : was == Run.STEP || was == Run.STEP_TO_EXIT ? DebugEvent.STEP_END
                : s.code() == StopReply.SIGINT ? DebugEvent.CLIENT_REQUEST : DebugEvent.UNSPECIFIED;
        fireSuspendEvents(s.thread(), detail, hit);
    }

    private void fireSuspendEvents(long stoppingThread, int detail, IBreakpoint hit) {
        VcpuThread stopping = null;
        for (VcpuThread t : threads) {
            if (t.threadId() == stoppingThread) {
                stopping = t;
            } else {
                t.fireSuspendEvent(DebugEvent.CLIENT_REQUEST);
            }
        }
        if (stopping == null && threads.length > 0) {
            stopping = threads[0];
        }
        fireSuspendEvent(detail);
        if (stopping != null) {
            stopping.setBreakpoints(hit == null ? new IBreakpoint[0] : new IBreakpoint[] {hit});
            // Last, so the Debug view selects the vCPU that stopped the VM.
            stopping.fireSuspendEvent(detail);
        }
    }

    /** Reads where every vCPU stands and why, for labels and frames. */
    private void refresh(StopReply s, ExitReasonBreakpoint hit, Run was) {
        for (VcpuThread t : threads) {
            boolean stopper = t.threadId() == s.thread() || s.thread() < 0 && t == threads[0];
            long pc = -1;
            try {
                Long expedited = stopper && pcRegister != null ? s.register(pcRegister.regnum()) : null;
                pc = expedited != null ? expedited
                        : pcRegister != null ? client.readRegisterLong(t.threadId(), pcRegister.regnum()) : -1;
            } catch (IOException | RuntimeException e) {
                // shown as an unknown PC
            }
            String why;
            String exitReason = null;
            if (stopper) {
                if (s.exit() != null) {
                    why = "exit " + s.exit().description();
                    exitReason = s.exit().reason();
                } else if (s.error() != null) {
                    why = "error: " + s.error();
                } else if (s.reason() != null && s.reason().endsWith("break")) {
                    why = "breakpoint";
                } else if (s.reason() != null && s.reason().endsWith("watch")) {
                    why = s.reason() + "point at 0x" + Long.toHexString(s.dataAddress());
                } else if (was == Run.STEP) {
                    why = "step";
                } else if (s.code() == StopReply.SIGINT) {
                    why = "interrupted";
                } else if (s.code() == StopReply.SIGTRAP) {
                    why = was == null ? "stopped" : "trap";
                } else {
                    why = "signal " + s.code();
                }
            } else {
                why = "";
            }
            String last = null;
            VcpuStateSnapshot snapshot = null;
            if (hvdbg != null) {
                try {
                    VcpuSnapshot st = hvdbg.state(t.vcpu());
                    snapshot = new VcpuStateSnapshot(t.baseName() + " of "
                            + description.architecture() + " (" + st.description() + ")", st.rows());
                    if (st.lastExitSeq() >= 0 && (exitReason == null || !stopper)) {
                        ExitDetail d = hvdbg.exit(st.lastExitSeq());
                        last = d.description();
                        if (exitReason == null) {
                            exitReason = hvdbg.reason(d.reasonId()).name();
                        }
                    }
                } catch (IOException | RuntimeException e) {
                    // the trace may have dropped it; the label just says less
                }
            }
            if (!stopper && last != null) {
                why = "last exit " + last;
            }
            t.stopped(why, pc, exitReason, snapshot);
        }
    }

    private void connectionClosed() {
        if (terminated) {
            return;
        }
        String why = client.closeReason();
        message("hvdbg: the connection to the GDB stub closed (" + why + "); the debug session ends.");
        finish("stub disconnected: " + why);
    }

    private synchronized void finish(String reason) {
        if (terminated) {
            return;
        }
        endReason = reason;
        terminated = true;
        suspended = false;
        DebugPlugin dp = DebugPlugin.getDefault();
        if (dp != null) {
            dp.getBreakpointManager().removeBreakpointListener(this);
            dp.getBreakpointManager().removeBreakpointManagerListener(this);
        }
        client.close();
        Runnable c = disconnected && onDisconnect != null ? onDisconnect : cleanup;
        cleanup = null;
        onDisconnect = null;
        if (c != null) {
            try {
                c.run();
            } catch (RuntimeException e) {
                HvdbgDebugCore.log(HvdbgDebugCore.error("Cleaning up the debug session failed: " + e, e));
            }
        }
        for (VcpuThread t : threads) {
            t.fireTerminateEvent();
        }
        fireTerminateEvent();
        for (Runnable r : endListeners) {
            r.run();
        }
        worker.shutdown();
    }

    private void submit(Runnable r) {
        try {
            worker.execute(() -> {
                try {
                    r.run();
                } catch (RuntimeException e) {
                    HvdbgDebugCore.log(HvdbgDebugCore.error("hvdbg debug session: " + e, e));
                }
            });
        } catch (RejectedExecutionException e) {
            // the session has ended
        }
    }

    private void submitOrRun(Runnable r) {
        if (worker.isShutdown()) {
            r.run();
        } else {
            submit(r);
        }
    }

    // ---- exit breakpoints ------------------------------------------------------------------------

    private ExitReasonBreakpoint breakpointWithId(int id) {
        for (Map.Entry<ExitReasonBreakpoint, Integer> e : installed.entrySet()) {
            if (e.getValue() == id) {
                return e.getKey();
            }
        }
        return null;
    }

    /** How many exit breakpoints are installed in the stub now. */
    public int installedBreakpointCount() {
        return installed.size();
    }

    /** The stub id of an installed breakpoint, or -1. */
    public int installedId(ExitReasonBreakpoint b) {
        Integer id = installed.get(b);
        return id == null ? -1 : id;
    }

    private void install(ExitReasonBreakpoint b) {
        if (hvdbg == null || terminated || installed.containsKey(b)) {
            return;
        }
        try {
            if (!b.isEnabled() || !DebugPlugin.getDefault().getBreakpointManager().isEnabled()) {
                return;
            }
            int id = hvdbg.addExitBreakpoint(b.getReason(), b.getCondition(), -1, false);
            installed.put(b, id);
            hits.remove(id);
        } catch (IOException | CoreException | RuntimeException e) {
            message("hvdbg: exit breakpoint '" + b.describe() + "' was not installed: " + e.getMessage());
        }
    }

    private void uninstall(ExitReasonBreakpoint b) {
        Integer id = installed.remove(b);
        if (id == null || hvdbg == null || terminated) {
            return;
        }
        try {
            hvdbg.deleteExitBreakpoint(id);
        } catch (IOException | RuntimeException e) {
            // the stub forgets it with the session anyway
        }
    }

    @Override
    public void breakpointAdded(IBreakpoint breakpoint) {
        if (supportsBreakpoint(breakpoint)) {
            submit(() -> install((ExitReasonBreakpoint) breakpoint));
        }
    }

    @Override
    public void breakpointRemoved(IBreakpoint breakpoint, IMarkerDelta delta) {
        if (supportsBreakpoint(breakpoint)) {
            submit(() -> uninstall((ExitReasonBreakpoint) breakpoint));
        }
    }

    @Override
    public void breakpointChanged(IBreakpoint breakpoint, IMarkerDelta delta) {
        if (supportsBreakpoint(breakpoint)) {
            submit(() -> {
                uninstall((ExitReasonBreakpoint) breakpoint);
                install((ExitReasonBreakpoint) breakpoint);
            });
        }
    }

    @Override
    public void breakpointManagerEnablementChanged(boolean enabled) {
        submit(() -> {
            for (IBreakpoint b : DebugPlugin.getDefault().getBreakpointManager().getBreakpoints(MODEL_ID)) {
                if (b instanceof ExitReasonBreakpoint e) {
                    if (enabled) {
                        install(e);
                    } else {
                        uninstall(e);
                    }
                }
            }
        });
    }

    // ---- memory ------------------------------------------------------------------------------

    @Override
    public boolean supportsStorageRetrieval() {
        return true;
    }

    @Override
    public IMemoryBlock getMemoryBlock(long startAddress, long length) throws DebugException {
        return new VmMemoryBlock(this, "0x" + Long.toHexString(startAddress), startAddress, length, defaultThread());
    }

    @Override
    public IMemoryBlockExtension getExtendedMemoryBlock(String expression, Object context) throws DebugException {
        VcpuThread t = context instanceof VcpuThread vt ? vt
                : context instanceof VcpuStackFrame f ? (VcpuThread) f.getThread() : defaultThread();
        return new VmMemoryBlock(this, expression, evaluateAddress(expression, t), -1, t);
    }

    private VcpuThread defaultThread() throws DebugException {
        VcpuThread[] ts = threads;
        if (ts.length == 0) {
            throw debugException("The target has no threads", null);
        }
        return ts[0];
    }

    /**
     * An address for the Memory view: a number (hex with 0x, else decimal), a register
     * ({@code $rsp}, {@code pc}) of the vCPU, or an ELF symbol, each optionally {@code +/- N}.
     */
    long evaluateAddress(String expression, VcpuThread t) throws DebugException {
        String e = expression.trim();
        long offset = 0;
        int op = Math.max(e.lastIndexOf('+'), e.lastIndexOf('-'));
        if (op > 0) {
            offset = parseNumber(e.substring(op + 1).trim(), expression);
            if (e.charAt(op) == '-') {
                offset = -offset;
            }
            e = e.substring(0, op).trim();
        }
        Long n = tryNumber(e);
        if (n != null) {
            return n + offset;
        }
        String reg = e.startsWith("$") ? e.substring(1) : e;
        RegisterDescriptor d = description == null ? null : description.register(reg.toLowerCase(Locale.ROOT));
        if (d != null && d.bitSize() <= 64) {
            byte[] b = t.registerBytes(d);
            return new BigInteger(1, reverse(b)).longValue() + offset;
        }
        if (symbols != null) {
            ElfSymbol s = symbols.symbol(e);
            if (s != null) {
                return s.value() + offset;
            }
        }
        throw debugException("'" + expression + "' is not an address, a register or a symbol of the guest", null);
    }

    private static Long tryNumber(String s) {
        try {
            if (s.startsWith("0x") || s.startsWith("0X")) {
                return Long.parseUnsignedLong(s.substring(2), 16);
            }
            return Long.parseLong(s);
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private static long parseNumber(String s, String expression) throws DebugException {
        Long n = tryNumber(s);
        if (n == null) {
            throw debugException("'" + expression + "': '" + s + "' is not a number", null);
        }
        return n;
    }

    static byte[] reverse(byte[] b) {
        byte[] r = new byte[b.length];
        for (int i = 0; i < b.length; i++) {
            r[i] = b[b.length - 1 - i];
        }
        return r;
    }

    /** Guest memory through the vCPU's view (its page tables), as the stub reads it. */
    byte[] readMemory(VcpuThread t, long address, int length) throws DebugException {
        if (!isSuspended()) {
            throw debugException("The VM is running; suspend it to read memory", null);
        }
        try {
            return client.readMemory(t.threadId(), address, length);
        } catch (IOException | RuntimeException e) {
            throw debugException("Cannot read memory at 0x" + Long.toHexString(address) + ": " + e.getMessage(), e);
        }
    }

    void writeMemory(VcpuThread t, long address, byte[] data) throws DebugException {
        if (!isSuspended()) {
            throw debugException("The VM is running; suspend it to change memory", null);
        }
        try {
            client.writeMemory(t.threadId(), address, data);
        } catch (IOException | RuntimeException e) {
            throw debugException("Cannot write memory at 0x" + Long.toHexString(address) + ": " + e.getMessage(), e);
        }
    }

    @Override
    public <T> T getAdapter(Class<T> adapter) {
        if (adapter == IDebugElement.class || adapter == IDebugTarget.class) {
            return adapter.cast(this);
        }
        return super.getAdapter(adapter);
    }

}
