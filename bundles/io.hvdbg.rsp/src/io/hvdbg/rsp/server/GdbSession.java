/*
 * Copyright (c) 2026 hvdbg contributors
 * SPDX-License-Identifier: EPL-2.0
 */
package io.hvdbg.rsp.server;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.function.IntConsumer;

import io.hvdbg.core.StopEvent;
import io.hvdbg.core.StopReason;
import io.hvdbg.core.Vcpu;
import io.hvdbg.core.VirtualMachine;
import io.hvdbg.core.VmListener;
import io.hvdbg.core.debug.ExitBreakpoint;
import io.hvdbg.core.debug.Watchpoint;
import io.hvdbg.core.vcpu.GuestStateProtectedException;
import io.hvdbg.core.vcpu.RegisterDescriptor;
import io.hvdbg.rsp.codec.AckTracker;
import io.hvdbg.rsp.codec.FrameDecoder;
import io.hvdbg.rsp.codec.MalformedPacketException;
import io.hvdbg.rsp.codec.PacketBuffer;
import io.hvdbg.rsp.codec.PacketScanner;
import io.hvdbg.rsp.tdesc.RegisterLayout;
import io.hvdbg.rsp.tdesc.TargetDescriptionWriter;

/**
 * One debugger connection: the stub side of the remote protocol over a VM, all-stop.
 *
 * <p><b>Threads.</b> Everything here runs on the session's own thread, which waits on a
 * selector for input from the socket and for wake-ups from the VM thread. The VM thread only
 * queues stop events and console bytes and wakes the selector; it never touches the socket,
 * so a slow or vanished client can never block the VM.
 *
 * <p><b>Run control.</b> {@code c}/{@code s}/{@code vCont} resume or step through
 * {@link VirtualMachine#resume()}/{@link VirtualMachine#step(int)} and send no reply; the
 * next stop the VM reports (breakpoint, watchpoint, exit breakpoint, step, the 0x03 interrupt
 * turned into {@link VirtualMachine#pause()}, shutdown) is answered with its stop reply. Stops
 * the client did not ask for (the pause on attach) only update what {@code ?} reports.
 *
 * <p><b>Clean-up.</b> Breakpoints, watchpoints and exit breakpoints the client set are
 * removed when it detaches or disconnects, and a VM it left stopped is resumed (gdb's detach
 * semantics), so a debugger that goes away never leaves the VM wedged.
 */
public final class GdbSession implements FrameDecoder.Sink {
    /** Largest console chunk per O packet (bytes of guest output, sent as hex). */
    private static final int CONSOLE_CHUNK = 512;
    /** Guest console bytes kept for the client between wake-ups; beyond this they are dropped and counted. */
    static final int CONSOLE_LIMIT = 1 << 16;
    /**
     * Unsent output beyond which the session stops reading requests until the client catches up
     * (replies only come for requests, so this bounds them: the limit plus one reply).
     */
    static final int OUTPUT_BACKLOG_LIMIT = 4 << 20;
    /**
     * Unsent output beyond which guest console bytes stay in their own bounded buffer
     * ({@link #CONSOLE_LIMIT}, then dropped and counted) instead of joining the output: a client
     * that stops reading while the guest prints costs at most this plus the console buffer.
     */
    static final int CONSOLE_BACKLOG_LIMIT = 256 << 10;
    /**
     * Input is decoded in slices this small, the backlog checked between them: a read of many
     * small requests (a client that sends {@code m} packets without reading) can then add at
     * most a few replies beyond {@link #OUTPUT_BACKLOG_LIMIT}, not thousands.
     */
    static final int INPUT_SLICE = 128;
    /** How long a step is waited for on the session thread before its reply is left to the selector loop. */
    private static final long SYNC_STEP_WAIT_MILLIS = 20;
    /** The same for a continue: short, so an interrupt is never held up noticeably. */
    private static final long QUICK_STOP_WAIT_MILLIS = 2;

    private record PendingStop(StopEvent event, long count) {
    }

    private final GdbServer server;
    private final VirtualMachine vm;
    private final SocketChannel channel;
    private final String peer;
    private final PacketTable table;
    private final Selector selector;
    private SelectionKey key;
    private final FrameDecoder decoder;
    private final AckTracker acks = new AckTracker(true);
    private final PacketBuffer reply = new PacketBuffer(4096);
    private final PacketBuffer stopReply = new PacketBuffer(256);
    private final PacketBuffer wire = new PacketBuffer(8192);
    private int wireSent;
    /** Bytes queued for the client and not yet written to the socket (read by tests and the server). */
    private volatile int backlog;
    private final PacketScanner scanner = new PacketScanner();
    private final ByteBuffer readBuffer = ByteBuffer.allocate(64 * 1024);
    /** Input read but not yet decoded: readBuffer[pendingFrom, pendingTo). */
    private int pendingFrom;
    private int pendingTo;

    private final ConcurrentLinkedQueue<PendingStop> stops = new ConcurrentLinkedQueue<>();
    private final VmListener listener = new VmListener() {
        @Override
        public void stopped(StopEvent event) {
            // On the VM thread: no other stop can happen before this returns, so stopCount is this event's number.
            stops.add(new PendingStop(event, vm.stopCount()));
            selector.wakeup();
        }
    };

    private final byte[] consoleBytes = new byte[CONSOLE_LIMIT];
    private int consoleLength;
    private long consoleDropped;
    private volatile boolean consoleWakePending;
    private volatile boolean consoleForwarding;
    private final IntConsumer consoleListener = this::consoleByte;

    // Session-thread state.
    private boolean running;
    private long resumeFloor;
    private StopEvent lastStop;
    private long lastStopCount;
    private ExitBreakpoint stepToExitBreakpoint;
    private int generalVcpu;
    private int continueVcpu = -1;
    private final Set<String> clientFeatures = new HashSet<>();
    private final Map<Long, Integer> softwareBreakpoints = new HashMap<>();
    private final Map<Long, Integer> hardwareBreakpoints = new HashMap<>();
    private final List<Watchpoint> watchpoints = new ArrayList<>();
    private final Set<Integer> exitBreakpointIds = new HashSet<>();
    private final Map<String, Object> attributes = new HashMap<>();
    private String targetXml;
    private RegisterLayout layout;
    private RegisterDescriptor[] expedited;
    private boolean closing;
    private boolean resumeOnClose = true;
    private volatile boolean closed;
    private volatile boolean closeRequested;

    GdbSession(GdbServer server, VirtualMachine vm, SocketChannel channel, String peer, PacketTable table,
            int maxPacketSize) throws IOException {
        this.server = server;
        this.vm = vm;
        this.channel = channel;
        this.peer = peer;
        this.table = table;
        this.decoder = new FrameDecoder(maxPacketSize);
        this.selector = Selector.open();
    }

    // ---- what packet handlers use ---------------------------------------------------------

    public VirtualMachine vm() {
        return vm;
    }

    public GdbServer server() {
        return server;
    }

    /** "host:port" of the client. */
    public String peer() {
        return peer;
    }

    /** Largest packet the stub accepts (announced as PacketSize). */
    public int maxPacketSize() {
        return decoder.maxPayload();
    }

    /** True while the client waits for a stop reply (the VM runs on its behalf). */
    public boolean running() {
        return running;
    }

    /** Throws unless the target is stopped: most packets are only valid then (all-stop). */
    public void requireStopped() {
        if (running) {
            throw new IllegalStateException("the VM is running; interrupt it first");
        }
    }

    /** Thread id of a vCPU: index + 1 (0 and -1 mean "any" and "all" in the protocol). */
    public long threadIdOf(int vcpu) {
        return vcpu + 1L;
    }

    /** vCPU index of a thread id, or -1 if there is no such thread. */
    public int vcpuOfThread(long tid) {
        return tid >= 1 && tid <= vm.vcpuCount() ? (int) (tid - 1) : -1;
    }

    /** The vCPU selected with Hg, whose registers and memory view the data packets use. */
    public int generalVcpu() {
        return generalVcpu;
    }

    public Vcpu generalVcpuObject() {
        return vm.vcpu(generalVcpu);
    }

    public void setGeneralVcpu(int vcpu) {
        generalVcpu = vcpu;
    }

    /** The vCPU selected with Hc for c/s, or -1 for "any". */
    public int continueVcpu() {
        return continueVcpu;
    }

    public void setContinueVcpu(int vcpu) {
        continueVcpu = vcpu;
    }

    /** The vCPU a stop was last reported for (gdb's current thread), 0 if none yet. */
    public int currentVcpu() {
        StopEvent s = lastStop;
        return s != null && s.vcpu() >= 0 && s.vcpu() < vm.vcpuCount() ? s.vcpu() : 0;
    }

    public StopEvent lastStop() {
        return lastStop;
    }

    /** Records the features the client announced in qSupported ("swbreak", "multiprocess" …). */
    public void setClientFeatures(Set<String> features) {
        clientFeatures.clear();
        clientFeatures.addAll(features);
    }

    public boolean clientSupports(String feature) {
        return clientFeatures.contains(feature);
    }

    /** Per-session values extensions keep (e.g. a cached reply being read in pieces). */
    public Map<String, Object> attributes() {
        return attributes;
    }

    /** The target description (built once: the register list is fixed for the VM's life). */
    public String targetXml() {
        if (targetXml == null) {
            targetXml = TargetDescriptionWriter.render(vm.architecture(), vm.vcpu(0).registers());
        }
        return targetXml;
    }

    /** The registers every T stop reply carries (pc, sp, fp), found once: the register list is fixed. */
    RegisterDescriptor[] expeditedRegisters() {
        if (expedited == null) {
            expedited = StopReplies.expeditedRegisters(vm.vcpu(0));
        }
        return expedited;
    }

    /** The g-packet layout of this VM's registers. */
    public RegisterLayout registerLayout() {
        if (layout == null) {
            layout = RegisterLayout.of(vm.vcpu(0).registers());
        }
        return layout;
    }

    /** Turns acknowledgements off after the current reply (QStartNoAckMode). */
    public void disableAcksAfterReply() {
        attributes.put("noack", Boolean.TRUE);
    }

    public boolean ackMode() {
        return acks.ackMode();
    }

    /** Whether guest console output is forwarded as O packets while the VM runs. */
    public void setConsoleForwarding(boolean on) {
        consoleForwarding = on;
    }

    public boolean consoleForwarding() {
        return consoleForwarding;
    }

    // ---- run control for handlers -----------------------------------------------------------

    /**
     * Resumes all vCPUs; the stop reply follows later. Returns false (no reply now), or true
     * with the exit reply in {@code out} when the VM has already ended.
     */
    public boolean resume(PacketBuffer out) {
        if (terminated(out)) {
            return true;
        }
        beginRun();
        long before = resumeFloor;
        vm.resume();
        answerIfStoppedWithin(before, QUICK_STOP_WAIT_MILLIS);
        return false;
    }

    /** Resumes only the vCPUs in {@code vcpus}, the others staying stopped; see {@link #resume}. */
    public boolean resume(java.util.BitSet vcpus, PacketBuffer out) {
        if (terminated(out)) {
            return true;
        }
        beginRun();
        long before = resumeFloor;
        vm.resume(vcpus);
        answerIfStoppedWithin(before, QUICK_STOP_WAIT_MILLIS);
        return false;
    }

    /**
     * Steps one instruction on {@code vcpu}, the others staying stopped; see {@link #resume}.
     * A step takes microseconds, so the session waits for it right here and answers at once,
     * instead of a round through the selector (the stepi round trip is what users feel).
     */
    public boolean step(int vcpu, PacketBuffer out) {
        if (terminated(out)) {
            return true;
        }
        beginRun();
        long before = resumeFloor;
        vm.step(vcpu);
        answerIfStoppedWithin(before, SYNC_STEP_WAIT_MILLIS);
        return false;
    }

    /**
     * Waits a moment on the session thread for the stop that answers a resume, and sends its
     * reply at once if it comes: steps and short runs (gdb's software single-step on RISC-V is
     * a breakpoint and a continue) then need no round through the selector. A longer run is
     * answered from the selector loop as usual; an interrupt is read after the wait at most.
     */
    private void answerIfStoppedWithin(long floor, long millis) {
        StopEvent e;
        try {
            e = vm.awaitStop(floor, millis);
        } catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            return;
        }
        if (e == null) {
            return;
        }
        // The listener queues this stop too; the raised floor makes drainStops skip it.
        long count = vm.stopCount();
        resumeFloor = count;
        if (count > lastStopCount) {
            lastStop = e;
            lastStopCount = count;
        }
        deliverStop(e);
    }

    /** Runs until {@code vcpu} takes its next exit (of {@code reason}, if not null); see {@link #resume}. */
    public boolean stepToExit(int vcpu, String reason, PacketBuffer out) {
        if (terminated(out)) {
            return true;
        }
        beginRun();
        try {
            stepToExitBreakpoint = vm.stepToExit(vcpu, reason);
        } catch (RuntimeException e) {
            running = false;
            throw e;
        }
        return false;
    }

    private void beginRun() {
        resumeFloor = vm.stopCount();
        running = true;
    }

    private boolean terminated(PacketBuffer out) {
        if (vm.runState() != VirtualMachine.RunState.TERMINATED) {
            return false;
        }
        writeExited(out);
        return true;
    }

    /** The reply for a VM that has ended: W with its exit status (X09 if it was killed). */
    public void writeExited(PacketBuffer out) {
        out.clear();
        StopEvent s = vm.lastStop();
        if (s != null && s.reason() == StopReason.SHUTDOWN) {
            StopReplies.write(this, s, false, false, false, out);
        } else {
            out.appendAscii("X09");
        }
    }

    /** The reply to '?': why the target is stopped now. */
    public void writeStatus(PacketBuffer out) {
        if (vm.runState() == VirtualMachine.RunState.TERMINATED) {
            writeExited(out);
            return;
        }
        StopEvent s = lastStop;
        if (s == null || s.reason() == StopReason.SHUTDOWN) {
            s = StopEvent.step(currentVcpu());
        }
        writeStop(s, out);
    }

    private void writeStop(StopEvent e, PacketBuffer out) {
        boolean hw = e.reason() == StopReason.BREAKPOINT && hardwareBreakpoints.containsKey(e.address())
                && !softwareBreakpoints.containsKey(e.address());
        StopReplies.write(this, e, hw, clientSupports("swbreak"), clientSupports("hwbreak"), out);
    }

    /** Asks a running VM to stop (the 0x03 interrupt). */
    public void interruptTarget() {
        if (running) {
            vm.pause();
        }
    }

    /** Detach: the reply is sent, then the connection closes and the VM runs on. */
    public void detachAfterReply() {
        closing = true;
        resumeOnClose = true;
    }

    /** Kill: the VM terminates and the connection closes. */
    public void kill() {
        resumeOnClose = false;
        closing = true;
        vm.terminate();
    }

    // ---- breakpoints the client set (removed again when it goes) ---------------------------

    public boolean insertBreakpoint(long address, boolean hardware) {
        Map<Long, Integer> m = hardware ? hardwareBreakpoints : softwareBreakpoints;
        m.merge(address, 1, Integer::sum);
        vm.breakpoints().add(address);
        return true;
    }

    public boolean removeBreakpoint(long address, boolean hardware) {
        Map<Long, Integer> m = hardware ? hardwareBreakpoints : softwareBreakpoints;
        Integer n = m.get(address);
        if (n == null) {
            return false;
        }
        if (n == 1) {
            m.remove(address);
        } else {
            m.put(address, n - 1);
        }
        if (!softwareBreakpoints.containsKey(address) && !hardwareBreakpoints.containsKey(address)) {
            vm.breakpoints().remove(address);
        }
        return true;
    }

    public void insertWatchpoint(Watchpoint w) {
        vm.watchpoints().add(w);
        watchpoints.add(w);
    }

    public boolean removeWatchpoint(Watchpoint w) {
        if (!watchpoints.remove(w)) {
            return false;
        }
        if (!watchpoints.contains(w)) {
            vm.watchpoints().remove(w);
        }
        return true;
    }

    /** Remembers an exit breakpoint the client created, to delete it when the client goes. */
    public void trackExitBreakpoint(ExitBreakpoint b) {
        exitBreakpointIds.add(b.id());
    }

    public void untrackExitBreakpoint(int id) {
        exitBreakpointIds.remove(id);
    }

    // ---- the connection loop ---------------------------------------------------------------

    /** Runs the session until the client goes; called on the session's thread. */
    void run() {
        String why = "the debugger disconnected";
        try {
            channel.configureBlocking(false);
            channel.socket().setTcpNoDelay(true);
            key = channel.register(selector, SelectionKey.OP_READ);
            attach();
            while (!closed) {
                flush();
                decodePending(); // requests held back while the client was not reading
                drainConsole(); // console output held back likewise
                flush();
                if (closing && wireSent == wire.length()) {
                    why = resumeOnClose ? "the debugger detached" : "the debugger killed the VM";
                    break;
                }
                selector.select();
                selector.selectedKeys().clear();
                drainStops();
                drainConsole();
                if (!readInput()) {
                    break;
                }
            }
            if (closeRequested) {
                deliverLastWords();
            }
        } catch (IOException e) {
            why = "the connection failed: " + e.getMessage();
        } catch (RuntimeException e) {
            why = "internal error in the stub: " + e;
            if (Boolean.getBoolean("hvdbg.debug")) {
                e.printStackTrace();
            }
        } finally {
            cleanUp(why);
        }
    }

    private void attach() {
        vm.addListener(listener);
        vm.console().addOutputListener(consoleListener);
        if (vm.runState() == VirtualMachine.RunState.RUNNING) {
            long n = vm.stopCount();
            vm.pause();
            try {
                vm.awaitStop(n, 10_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        lastStop = vm.lastStop();
        generalVcpu = currentVcpu();
        server.log("gdb stub: client " + peer + " attached; the VM is stopped");
    }

    /** Output queued for the client and not yet taken by the socket, in bytes. */
    int outputBacklog() {
        return backlog;
    }

    /** Reads what the client sent; false at end of stream. */
    private boolean readInput() throws IOException {
        for (int rounds = 0; rounds < 64; rounds++) {
            if (!decodePending() || closing) {
                return true; // let the client read its replies first (flush() stopped asking for input)
            }
            readBuffer.clear();
            int n = channel.read(readBuffer);
            if (n < 0) {
                return false;
            }
            if (n == 0) {
                return true;
            }
            pendingFrom = 0;
            pendingTo = n;
        }
        decodePending();
        return true;
    }

    /** Decodes input already read, in slices, while the output backlog allows; false if some is left. */
    private boolean decodePending() throws IOException {
        while (pendingFrom < pendingTo && !closing) {
            if (wire.length() - wireSent > OUTPUT_BACKLOG_LIMIT) {
                return false;
            }
            int n = Math.min(INPUT_SLICE, pendingTo - pendingFrom);
            decoder.feed(readBuffer.array(), pendingFrom, n, this);
            pendingFrom += n;
            flush();
        }
        return true;
    }

    private void flush() throws IOException {
        while (wireSent < wire.length()) {
            int n = channel.write(ByteBuffer.wrap(wire.array(), wireSent, wire.length() - wireSent));
            if (n == 0) {
                // Over the backlog limit input is not read, so do not wake up for it either
                // (the socket stays readable: the selector would spin).
                int pending = wire.length() - wireSent;
                backlog = pending;
                key.interestOps(pending > OUTPUT_BACKLOG_LIMIT ? SelectionKey.OP_WRITE
                        : SelectionKey.OP_READ | SelectionKey.OP_WRITE);
                return;
            }
            wireSent += n;
        }
        wire.clear();
        wireSent = 0;
        backlog = 0;
        if (key.interestOps() != SelectionKey.OP_READ) {
            key.interestOps(SelectionKey.OP_READ);
        }
    }

    private void send(PacketBuffer payload) {
        // Binary qHvdbg bodies (compact varints) have almost no runs: scanning them for RLE costs
        // more than it saves. Text replies (hex memory and registers) keep it.
        boolean binary = payload.length() > 0 && payload.get(0) == io.hvdbg.rsp.ext.HvdbgPackets.BINARY_REPLY;
        acks.setRunLengthEncode(!binary);
        acks.send(payload, wire);
    }

    // ---- decoder events ---------------------------------------------------------------------

    @Override
    public void packet(byte[] data, int length) {
        if (closing) {
            return;
        }
        if (acks.ackMode()) {
            wire.append('+');
        }
        int nameLength = PacketTable.nameLength(data, length);
        PacketHandler h = table.lookup(data, length, nameLength);
        reply.clear();
        boolean sendNow = true;
        if (h != null) {
            scanner.reset(data, length);
            scanner.position(nameLength);
            try {
                sendNow = h.handle(this, scanner, reply);
            } catch (MalformedPacketException | GuestStateProtectedException e) {
                reply.clear().appendErrorText(e.getMessage());
            } catch (IllegalArgumentException | IllegalStateException | UnsupportedOperationException e) {
                reply.clear().appendErrorText(e.getMessage());
            } catch (RuntimeException e) {
                server.log("gdb stub: internal error handling '" + scanner.text() + "': " + e);
                if (Boolean.getBoolean("hvdbg.debug")) {
                    e.printStackTrace();
                }
                reply.clear().appendErrorText("internal error in the stub: " + e);
            }
        }
        if (sendNow) {
            send(reply);
        }
        if (attributes.remove("noack") != null) {
            acks.disableAcks();
        }
    }

    @Override
    public void ack() {
        acks.acked();
    }

    @Override
    public void nack() {
        acks.nacked(wire);
    }

    @Override
    public void interrupt() {
        interruptTarget();
    }

    @Override
    public void problem(FrameDecoder.Problem problem, String detail) {
        if (problem == FrameDecoder.Problem.CHECKSUM && acks.ackMode()) {
            wire.append('-'); // the transport garbled it: ask for it again
            return;
        }
        if (acks.ackMode()) {
            wire.append('+'); // it arrived as sent; resending would not help
        }
        reply.clear().appendErrorText(detail);
        send(reply);
    }

    // ---- VM events --------------------------------------------------------------------------

    private void drainStops() {
        PendingStop p;
        while ((p = stops.poll()) != null) {
            if (p.count() > lastStopCount) {
                lastStop = p.event();
                lastStopCount = p.count();
            }
            if (!running || p.count() <= resumeFloor) {
                continue; // not an answer to a resume of ours (e.g. the pause on attach), or answered already
            }
            deliverStop(p.event());
        }
    }

    /** Sends the stop reply that answers the client's resume. */
    private void deliverStop(StopEvent e) {
        running = false;
        if (stepToExitBreakpoint != null && e.exitBreakpoint() != stepToExitBreakpoint) {
            vm.exitBreakpoints().remove(stepToExitBreakpoint.id());
        }
        stepToExitBreakpoint = null;
        drainConsoleNow(true);
        if ((e.reason() == StopReason.ERROR || e.reason() == StopReason.SHUTDOWN) && e.message() != null
                && !e.message().isEmpty()) {
            consoleMessage("hvdbg: " + e.message() + "\n");
        }
        writeStop(e, stopReply);
        send(stopReply);
    }

    /** Sends text to the client's console (O packets); only valid while it waits for a stop reply. */
    private void consoleMessage(String text) {
        PacketBuffer o = new PacketBuffer(text.length() * 2 + 2);
        o.append('O').appendHexText(text);
        send(o);
    }

    private void consoleByte(int b) {
        if (!consoleForwarding) {
            return;
        }
        synchronized (consoleBytes) {
            if (consoleLength < consoleBytes.length) {
                consoleBytes[consoleLength++] = (byte) b;
            } else {
                consoleDropped++;
            }
        }
        if (!consoleWakePending) {
            consoleWakePending = true;
            selector.wakeup();
        }
    }

    private void drainConsole() {
        // While the client is not reading, console bytes wait in their own bounded buffer; the
        // wake-up stays pending (no more from the VM thread) until the output has drained.
        if (consoleWakePending && wire.length() - wireSent <= CONSOLE_BACKLOG_LIMIT) {
            drainConsoleNow(running);
        }
    }

    private void drainConsoleNow(boolean deliver) {
        consoleWakePending = false;
        byte[] chunk;
        long dropped;
        synchronized (consoleBytes) {
            if (consoleLength == 0 && consoleDropped == 0) {
                return;
            }
            chunk = java.util.Arrays.copyOf(consoleBytes, consoleLength);
            consoleLength = 0;
            dropped = consoleDropped;
            consoleDropped = 0;
        }
        if (!deliver || !consoleForwarding) {
            return; // gdb may only get O packets while it waits for a stop reply
        }
        PacketBuffer o = new PacketBuffer(2 * CONSOLE_CHUNK + 2);
        for (int off = 0; off < chunk.length; off += CONSOLE_CHUNK) {
            o.clear().append('O').appendHex(chunk, off, Math.min(CONSOLE_CHUNK, chunk.length - off));
            send(o);
        }
        if (dropped > 0) {
            consoleMessage("\n[hvdbg: " + dropped + " bytes of guest console output dropped]\n");
        }
    }

    // ---- shutdown ---------------------------------------------------------------------------

    /** Closes the connection from another thread (server shutdown). */
    void close() {
        closeRequested = true;
        closed = true;
        selector.wakeup();
    }

    /**
     * On a server shutdown, answers a resume still waiting for its stop (the guest's exit when
     * the command line ends with the VM) and sends what is queued, for at most a second: gdb then
     * reports "exited with code N" instead of a lost connection.
     */
    private void deliverLastWords() throws IOException {
        long deadline = System.nanoTime() + 1_000_000_000L;
        drainStops();
        // The VM thread tells listeners just after it marks the VM terminated: wait for that stop.
        while (running && vm.runState() == VirtualMachine.RunState.TERMINATED && System.nanoTime() < deadline) {
            try {
                Thread.sleep(1);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            drainStops();
        }
        if (running && vm.runState() == VirtualMachine.RunState.TERMINATED) {
            running = false;
            writeExited(stopReply);
            send(stopReply);
        }
        flush();
        while (wireSent < wire.length() && System.nanoTime() < deadline) {
            try {
                Thread.sleep(1);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            flush();
        }
    }

    private void cleanUp(String why) {
        closed = true;
        vm.removeListener(listener);
        vm.console().removeOutputListener(consoleListener);
        for (Long a : softwareBreakpoints.keySet()) {
            if (!hardwareBreakpoints.containsKey(a)) {
                vm.breakpoints().remove(a);
            }
        }
        for (Long a : hardwareBreakpoints.keySet()) {
            vm.breakpoints().remove(a);
        }
        for (Watchpoint w : watchpoints) {
            vm.watchpoints().remove(w);
        }
        for (int id : exitBreakpointIds) {
            vm.exitBreakpoints().remove(id);
        }
        if (stepToExitBreakpoint != null) {
            vm.exitBreakpoints().remove(stepToExitBreakpoint.id());
        }
        try {
            selector.close();
        } catch (IOException e) {
            // closing anyway
        }
        try {
            channel.close();
        } catch (IOException e) {
            // closing anyway
        }
        if (resumeOnClose && vm.runState() == VirtualMachine.RunState.PAUSED) {
            try {
                vm.resume();
            } catch (IllegalStateException e) {
                // terminated meanwhile
            }
        }
        server.log("gdb stub: " + why + " (" + peer + ")" + (resumeOnClose
                && vm.runState() == VirtualMachine.RunState.RUNNING ? "; the VM runs on" : ""));
        server.sessionEnded(this);
    }
}
