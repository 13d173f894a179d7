/*
 * Copyright (c) 2026 hvdbg contributors
 * SPDX-License-Identifier: EPL-2.0
 */
package io.hvdbg.rsp.client;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

import io.hvdbg.core.vcpu.RegisterDescriptor;
import io.hvdbg.rsp.codec.AckTracker;
import io.hvdbg.rsp.codec.FrameDecoder;
import io.hvdbg.rsp.codec.Hex;
import io.hvdbg.rsp.codec.PacketBuffer;
import io.hvdbg.rsp.tdesc.RegisterLayout;

/**
 * A GDB remote protocol client on the same codec as the stub: connects, negotiates
 * ({@code qSupported}, {@code QStartNoAckMode}), reads the target description and threads,
 * reads and writes registers and memory, sets breakpoints, runs and steps, and reports stops.
 * Works with hvdbg's stub and with other stubs (QEMU {@code -s}, gdbserver); the hvdbg
 * extensions are in {@link #hvdbg()}, which is null for other stubs.
 *
 * <p><b>Threads.</b> A reader thread decodes everything the stub sends: replies go to the
 * request waiting for them (requests are serialized), stop replies to {@link #awaitStop} and
 * the stop listeners, {@code O} packets to the console listeners (while running) or to the
 * pending {@code monitor} command. Listeners run on the reader thread; keep them short.
 *
 * <p><b>All-stop.</b> While the target runs ({@link #resume}, {@link #step}) only
 * {@link #interrupt()} and the hvdbg read-only extensions may be used; other requests throw.
 */
public final class RspClient implements AutoCloseable {
    /**
     * @param connectTimeout  how long to wait for the TCP connection
     * @param requestTimeout  how long to wait for a reply before the connection is considered dead
     * @param maxReplyBytes   largest packet accepted from the stub
     * @param noAck           negotiate QStartNoAckMode when the stub offers it
     */
    public record Options(Duration connectTimeout, Duration requestTimeout, int maxReplyBytes, boolean noAck) {
        public static Options defaults() {
            return new Options(Duration.ofSeconds(10), Duration.ofSeconds(30), 64 << 20, true);
        }
    }

    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;
    private final Options options;
    private final FrameDecoder decoder;
    private final Thread reader;

    private final Object writeLock = new Object();
    private final AckTracker acks = new AckTracker(false);
    private final PacketBuffer wire = new PacketBuffer(4096);
    private final PacketBuffer payload = new PacketBuffer(4096);

    private final Object requestLock = new Object();
    private final Object responseLock = new Object();
    private byte[] response;
    private boolean responseReady;
    /** True while a request waits for its reply (so an error while running is that reply, not the run's). */
    private volatile boolean awaitingResponse;
    private StringBuilder monitorOutput;

    private final Object stopLock = new Object();
    private volatile boolean running;
    private StopReply lastStop;
    private String runError;
    private long stopCount;

    private volatile boolean closed;
    private volatile String closeReason;
    private final CopyOnWriteArrayList<Consumer<StopReply>> stopListeners = new CopyOnWriteArrayList<>();
    private final CopyOnWriteArrayList<Consumer<String>> consoleListeners = new CopyOnWriteArrayList<>();
    private final CopyOnWriteArrayList<Runnable> closeListeners = new CopyOnWriteArrayList<>();

    private final Map<String, String> stubFeatures = new LinkedHashMap<>();
    private int stubPacketSize = 4096;
    private TargetDescription description;
    private long generalThread = Long.MIN_VALUE;
    private HvdbgExtensions hvdbg;
    private boolean hvdbgProbed;

    private RspClient(Socket socket, Options options) throws IOException {
        this.socket = socket;
        this.options = options;
        this.in = socket.getInputStream();
        this.out = socket.getOutputStream();
        this.decoder = new FrameDecoder(options.maxReplyBytes());
        this.reader = new Thread(this::readLoop, "hvdbg-rsp-client-" + socket.getRemoteSocketAddress());
        reader.setDaemon(true);
    }

    /** Connects with default options. */
    public static RspClient connect(String host, int port) throws IOException {
        return connect(new InetSocketAddress(host, port), Options.defaults());
    }

    /** Connects, negotiates and returns a client for a stopped target. */
    public static RspClient connect(InetSocketAddress address, Options options) throws IOException {
        Socket s = new Socket();
        try {
            s.setTcpNoDelay(true);
            s.connect(address, (int) options.connectTimeout().toMillis());
        } catch (IOException e) {
            s.close();
            throw new IOException("cannot connect to the gdb stub at " + address.getHostString() + ":"
                    + address.getPort() + ": " + e.getMessage(), e);
        }
        RspClient c = new RspClient(s, options);
        c.reader.start();
        try {
            c.negotiate();
        } catch (IOException | RuntimeException e) {
            c.close();
            throw e;
        }
        return c;
    }

    private void negotiate() throws IOException {
        synchronized (writeLock) {
            out.write('+'); // as gdb does: acknowledge anything the stub may have sent first
            out.flush();
        }
        String reply = request("qSupported:multiprocess-;swbreak+;hwbreak+;vContSupported+;error-message+");
        for (String f : reply.split(";")) {
            if (f.isEmpty()) {
                continue;
            }
            int eq = f.indexOf('=');
            if (eq > 0) {
                stubFeatures.put(f.substring(0, eq), f.substring(eq + 1));
            } else if (f.endsWith("+") || f.endsWith("-") || f.endsWith("?")) {
                stubFeatures.put(f.substring(0, f.length() - 1), f.substring(f.length() - 1));
            }
        }
        String ps = stubFeatures.get("PacketSize");
        if (ps != null) {
            long v = StopReply.parseHex(ps);
            stubPacketSize = (int) Math.max(64, Math.min(v, 1 << 24));
        }
        if (options.noAck() && "+".equals(stubFeatures.get("QStartNoAckMode"))) {
            String ok = request("QStartNoAckMode");
            if (ok.equals("OK")) {
                synchronized (writeLock) {
                    acks.disableAcks();
                }
            }
        }
    }

    // ---- connection facts --------------------------------------------------------------------

    /** The stub's qSupported answer: feature name to "+", "-", "?" or a value. */
    public Map<String, String> stubFeatures() {
        return Collections.unmodifiableMap(stubFeatures);
    }

    public boolean stubSupports(String feature) {
        return "+".equals(stubFeatures.get(feature));
    }

    /** Largest packet the stub accepts. */
    public int stubPacketSize() {
        return stubPacketSize;
    }

    public boolean ackMode() {
        synchronized (writeLock) {
            return acks.ackMode();
        }
    }

    public boolean isClosed() {
        return closed;
    }

    /** Why the connection closed, or null while open. */
    public String closeReason() {
        return closeReason;
    }

    public void addStopListener(Consumer<StopReply> l) {
        stopListeners.add(l);
    }

    public void removeStopListener(Consumer<StopReply> l) {
        stopListeners.remove(l);
    }

    /** Receives guest console output the stub forwards while the target runs. */
    public void addConsoleListener(Consumer<String> l) {
        consoleListeners.add(l);
    }

    public void removeConsoleListener(Consumer<String> l) {
        consoleListeners.remove(l);
    }

    /** Called once when the connection closes (either side). */
    public void addCloseListener(Runnable l) {
        closeListeners.add(l);
    }

    /** The hvdbg extensions, or null if the stub is not hvdbg's. */
    public HvdbgExtensions hvdbg() throws IOException {
        if (!hvdbgProbed) {
            hvdbgProbed = true;
            if (stubSupports("qHvdbg")) {
                String v = request("qHvdbg.version");
                if (v.startsWith("hvdbg")) {
                    hvdbg = new HvdbgExtensions(this, v);
                }
            }
        }
        return hvdbg;
    }

    // ---- requests ---------------------------------------------------------------------------

    /** Sends a text packet and returns the reply as text; throws for error replies. */
    public String request(String packet) throws IOException {
        byte[] r = requestBytes(packet.getBytes(StandardCharsets.ISO_8859_1));
        String text = new String(r, StandardCharsets.ISO_8859_1);
        if (isError(text)) {
            throw new RemoteErrorException(packet, text);
        }
        return text;
    }

    /** Sends a text packet; an empty reply (unsupported) throws {@link UnsupportedPacketException}. */
    public String requestSupported(String packet) throws IOException {
        String r = request(packet);
        if (r.isEmpty()) {
            throw new UnsupportedPacketException(packet);
        }
        return r;
    }

    static boolean isError(String text) {
        return text.length() >= 2 && text.charAt(0) == 'E'
                && (text.charAt(1) == '.' || (text.length() == 3 && Hex.isDigit(text.charAt(1))
                        && Hex.isDigit(text.charAt(2))));
    }

    /** Sends a packet (payload already in wire form: binary parts escaped) and returns the raw reply. */
    public byte[] requestBytes(byte[] packet) throws IOException {
        synchronized (requestLock) {
            if (running && !isRunSafe(packet)) {
                throw new IllegalStateException("the target is running; interrupt it first");
            }
            synchronized (responseLock) {
                responseReady = false;
                response = null;
            }
            awaitingResponse = true;
            try {
                send(packet, 0, packet.length);
                return awaitResponse(packet);
            } finally {
                awaitingResponse = false;
            }
        }
    }

    /** Requests an all-stop stub serves while running: only hvdbg's read-only extensions. */
    private static boolean isRunSafe(byte[] p) {
        String s = new String(p, 0, Math.min(p.length, 24), StandardCharsets.ISO_8859_1);
        return s.startsWith("qHvdbg.version") || s.startsWith("qHvdbg.reasons") || s.startsWith("qHvdbg.exits")
                || s.startsWith("qHvdbg.exit:") || s.startsWith("qHvdbg.stats") || s.startsWith("qHvdbg.exitBreak")
                || s.startsWith("QHvdbg.");
    }

    private byte[] awaitResponse(byte[] packet) throws IOException {
        long deadline = System.nanoTime() + options.requestTimeout().toNanos();
        synchronized (responseLock) {
            while (!responseReady) {
                if (closed) {
                    throw new IOException("connection to the stub closed: " + closeReason);
                }
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    String p = new String(packet, 0, Math.min(packet.length, 40), StandardCharsets.ISO_8859_1);
                    closeWith("no reply to '" + p + "' within " + options.requestTimeout().toSeconds() + " s");
                    throw new IOException("the stub did not answer '" + p + "' within "
                            + options.requestTimeout().toSeconds() + " s; connection closed");
                }
                try {
                    responseLock.wait(Math.max(1, left / 1_000_000));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IOException("interrupted while waiting for the stub", e);
                }
            }
            responseReady = false;
            return response;
        }
    }

    private void send(byte[] data, int off, int len) throws IOException {
        synchronized (writeLock) {
            if (closed) {
                throw new IOException("connection to the stub closed: " + closeReason);
            }
            wire.clear();
            acks.send(data, off, len, wire);
            try {
                out.write(wire.array(), 0, wire.length());
                out.flush();
            } catch (IOException e) {
                closeWith("write failed: " + e.getMessage());
                throw e;
            }
        }
    }

    // ---- target description, threads ----------------------------------------------------------

    /** The target description (fetched once). */
    public TargetDescription targetDescription() throws IOException {
        if (description == null) {
            if (!stubSupports("qXfer:features:read")) {
                throw new UnsupportedPacketException("qXfer:features:read (no target description)");
            }
            description = TargetDescription.parse(annex -> new String(readXfer("features", annex),
                    StandardCharsets.UTF_8));
        }
        return description;
    }

    /** Reads a whole qXfer object. */
    public byte[] readXfer(String object, String annex) throws IOException {
        java.io.ByteArrayOutputStream doc = new java.io.ByteArrayOutputStream();
        int chunk = Math.max(256, stubPacketSize - 16);
        while (true) {
            byte[] r = requestBytes(("qXfer:" + object + ":read:" + annex + ":" + Long.toHexString(doc.size()) + ","
                    + Integer.toHexString(chunk)).getBytes(StandardCharsets.ISO_8859_1));
            String head = new String(r, 0, Math.min(r.length, 3), StandardCharsets.ISO_8859_1);
            if (r.length == 0) {
                throw new UnsupportedPacketException("qXfer:" + object + ":read");
            }
            if (isError(head) || (r[0] == 'E' && r.length >= 2 && r[1] == '.')) {
                throw new RemoteErrorException("qXfer:" + object + ":read:" + annex,
                        new String(r, StandardCharsets.ISO_8859_1));
            }
            if (r[0] != 'm' && r[0] != 'l') {
                throw new IOException("unexpected qXfer reply starting with '" + (char) r[0] + "'");
            }
            doc.write(r, 1, r.length - 1);
            if (r[0] == 'l' || r.length == 1) {
                return doc.toByteArray();
            }
            if (doc.size() > options.maxReplyBytes()) {
                throw new IOException("qXfer object " + object + " is larger than " + options.maxReplyBytes() + " bytes");
            }
        }
    }

    /** The target's threads (hvdbg: one per vCPU), with names where the stub gives them. */
    public List<ThreadInfo> threads() throws IOException {
        if (stubSupports("qXfer:threads:read")) {
            return ThreadListParser.parse(new String(readXfer("threads", ""), StandardCharsets.UTF_8));
        }
        List<ThreadInfo> list = new ArrayList<>();
        String r = request("qfThreadInfo");
        while (r.startsWith("m")) {
            for (String t : r.substring(1).split(",")) {
                if (!t.isEmpty()) {
                    long id = StopReply.parseHex(t.contains(".") ? t.substring(t.indexOf('.') + 1) : t);
                    String extra = "";
                    try {
                        String x = request("qThreadExtraInfo," + Long.toHexString(id));
                        String d = Hex.decodeText(x);
                        extra = d == null ? "" : d;
                    } catch (RemoteErrorException e) {
                        // no extra info
                    }
                    list.add(new ThreadInfo(id, "", -1, extra));
                }
            }
            r = request("qsThreadInfo");
        }
        return list;
    }

    private void selectThread(long tid) throws IOException {
        if (tid != generalThread) {
            String r = request("Hg" + (tid < 0 ? "-1" : Long.toHexString(tid)));
            if (!r.equals("OK")) {
                throw new IOException("the stub did not select thread " + tid + ": " + r);
            }
            generalThread = tid;
        }
    }

    // ---- registers and memory ---------------------------------------------------------------

    /** All registers the stub sends in a g reply, by gdb number (unavailable ones left out). */
    public Map<Integer, byte[]> readRegisters(long thread) throws IOException {
        selectThread(thread);
        String r = request("g");
        RegisterLayout layout = targetDescription().layout();
        Map<Integer, byte[]> values = new LinkedHashMap<>();
        int bytes = r.length() / 2;
        int n = layout.coveredBy(bytes);
        for (int i = 0; i < n; i++) {
            RegisterDescriptor d = layout.register(i);
            int off = 2 * layout.offset(i);
            String hex = r.substring(off, off + 2 * d.byteSize());
            byte[] b = Hex.decode(hex);
            if (b != null) {
                values.put(d.regnum(), b);
            }
        }
        return values;
    }

    /** One register in target byte order (p packet). */
    public byte[] readRegister(long thread, int regnum) throws IOException {
        selectThread(thread);
        String r = requestSupported("p" + Integer.toHexString(regnum));
        if (r.startsWith("x")) {
            throw new IOException("register " + regnum + " is unavailable");
        }
        byte[] b = Hex.decode(r);
        if (b == null) {
            throw new IOException("bad register reply '" + r + "'");
        }
        return b;
    }

    /** One register of at most 64 bits as a number. */
    public long readRegisterLong(long thread, int regnum) throws IOException {
        byte[] b = readRegister(thread, regnum);
        long v = 0;
        for (int i = Math.min(8, b.length) - 1; i >= 0; i--) {
            v = (v << 8) | (b[i] & 0xFF);
        }
        return v;
    }

    public void writeRegister(long thread, int regnum, byte[] value) throws IOException {
        selectThread(thread);
        PacketBuffer p = new PacketBuffer().append('P').appendHexNumber(regnum).append('=');
        p.appendHex(value, 0, value.length);
        String r = request(p.asText());
        if (!r.equals("OK")) {
            throw new IOException("writing register " + regnum + ": unexpected reply '" + r + "'");
        }
    }

    /** Reads guest memory; the result is shorter than asked if the stub could read only a prefix. */
    public byte[] readMemory(long thread, long address, int length) throws IOException {
        selectThread(thread);
        byte[] result = new byte[length];
        int done = 0;
        int chunk = Math.max(16, (stubPacketSize - 32) / 2);
        while (done < length) {
            int n = Math.min(chunk, length - done);
            String r;
            try {
                r = request("m" + Long.toHexString(address + done) + "," + Integer.toHexString(n));
            } catch (RemoteErrorException e) {
                if (done == 0) {
                    throw e;
                }
                break;
            }
            byte[] b = Hex.decode(r);
            if (b == null) {
                throw new IOException("bad memory reply '" + (r.length() > 20 ? r.substring(0, 20) + "..." : r) + "'");
            }
            System.arraycopy(b, 0, result, done, Math.min(b.length, n));
            done += Math.min(b.length, n);
            if (b.length < n) {
                break;
            }
        }
        return done == length ? result : Arrays.copyOf(result, done);
    }

    /** Writes guest memory with binary X packets. */
    public void writeMemory(long thread, long address, byte[] data) throws IOException {
        selectThread(thread);
        int chunk = Math.max(16, (stubPacketSize - 64) / 2); // escaping may double the size
        for (int done = 0; done < data.length; done += chunk) {
            int n = Math.min(chunk, data.length - done);
            payload.clear().append('X').appendHexNumber(address + done).append(',').appendHexNumber(n).append(':');
            payload.appendEscaped(data, done, n);
            byte[] r = requestBytes(payload.toByteArray());
            String t = new String(r, StandardCharsets.ISO_8859_1);
            if (!t.equals("OK")) {
                throw isError(t) ? new RemoteErrorException("X" + Long.toHexString(address + done), t)
                        : new IOException("writing memory: unexpected reply '" + t + "'");
            }
        }
    }

    // ---- breakpoints ------------------------------------------------------------------------

    /** Breakpoint and watchpoint kinds of the Z/z packets. */
    public enum BreakpointType {
        SOFTWARE(0), HARDWARE(1), WRITE_WATCHPOINT(2), READ_WATCHPOINT(3), ACCESS_WATCHPOINT(4);

        final int code;

        BreakpointType(int code) {
            this.code = code;
        }
    }

    /** Inserts a breakpoint ({@code kind}: instruction length for breakpoints, byte length for watchpoints). */
    public void insertBreakpoint(BreakpointType type, long address, int kind) throws IOException {
        String r = requestSupported("Z" + type.code + "," + Long.toHexString(address) + "," + Integer.toHexString(kind));
        if (!r.equals("OK")) {
            throw new IOException("inserting breakpoint: unexpected reply '" + r + "'");
        }
    }

    public void removeBreakpoint(BreakpointType type, long address, int kind) throws IOException {
        request("z" + type.code + "," + Long.toHexString(address) + "," + Integer.toHexString(kind));
    }

    // ---- run control ------------------------------------------------------------------------

    /** Why the target is stopped ({@code ?}). */
    public StopReply status() throws IOException {
        StopReply s = StopReply.parse(request("?"));
        if (s == null) {
            throw new IOException("the stub's answer to '?' is not a stop reply");
        }
        return s;
    }

    /** Resumes all threads; returns at once. The stop arrives through {@link #awaitStop} and the listeners. */
    public void resume() throws IOException {
        startRun("vCont;c");
    }

    /** Steps one instruction of {@code thread} and waits for the stop. */
    public StopReply step(long thread) throws IOException {
        startRun("vCont;s:" + Long.toHexString(thread));
        return awaitStop(options.requestTimeout());
    }

    /** Starts a run-control packet whose answer is a stop reply (vCont, vHvdbg.stepToExit …). */
    public void startRun(String packet) throws IOException {
        synchronized (requestLock) {
            if (running) {
                throw new IllegalStateException("the target is already running");
            }
            synchronized (stopLock) {
                running = true;
                runError = null;
            }
            try {
                send(packet.getBytes(StandardCharsets.ISO_8859_1), 0, packet.length());
            } catch (IOException e) {
                running = false;
                throw e;
            }
        }
    }

    public boolean running() {
        return running;
    }

    /** Sends the 0x03 interrupt; the target stops with SIGINT and a stop reply follows. */
    public void interrupt() throws IOException {
        synchronized (writeLock) {
            if (closed) {
                throw new IOException("connection to the stub closed: " + closeReason);
            }
            out.write(0x03);
            out.flush();
        }
    }

    /** Waits until the target stops; returns the stop (also when it was already stopped: the last one). */
    public StopReply awaitStop(Duration timeout) throws IOException {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (stopLock) {
            while (running) {
                if (closed) {
                    throw new IOException("connection to the stub closed: " + closeReason);
                }
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return null;
                }
                try {
                    stopLock.wait(Math.max(1, left / 1_000_000));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IOException("interrupted while waiting for the target to stop", e);
                }
            }
            if (runError != null) {
                String e = runError;
                runError = null;
                throw new RemoteErrorException("resume", e);
            }
            return lastStop;
        }
    }

    /** Number of stop replies received so far. */
    public long stopCount() {
        synchronized (stopLock) {
            return stopCount;
        }
    }

    /** The most recent stop reply, or null. */
    public StopReply lastStop() {
        synchronized (stopLock) {
            return lastStop;
        }
    }

    // ---- monitor, detach, kill -----------------------------------------------------------------

    /** Runs a monitor command; returns its output. An error the stub reports throws. */
    public String monitor(String command) throws IOException {
        synchronized (requestLock) {
            StringBuilder sb = new StringBuilder();
            synchronized (responseLock) {
                monitorOutput = sb;
            }
            try {
                String r = request("qRcmd," + Hex.encodeText(command));
                if (r.isEmpty()) {
                    throw new UnsupportedPacketException("monitor commands");
                }
                if (!r.equals("OK")) {
                    String text = Hex.decodeText(r);
                    if (text == null) {
                        throw new IOException("monitor reply is not hex: " + r);
                    }
                    sb.append(text);
                }
            } finally {
                synchronized (responseLock) {
                    monitorOutput = null;
                }
            }
            return sb.toString();
        }
    }

    /** Detaches (the target runs on) and closes the connection. */
    public void detach() throws IOException {
        try {
            if (!closed) {
                request("D");
            }
        } finally {
            closeWith("detached");
        }
    }

    /** Kills the target and closes the connection. */
    public void kill() throws IOException {
        try {
            if (!closed) {
                synchronized (requestLock) {
                    send("vKill;1".getBytes(StandardCharsets.ISO_8859_1), 0, 7);
                    byte[] r = awaitResponseQuietly();
                    if (r != null && r.length == 0) {
                        send(new byte[] {'k'}, 0, 1); // the stub has no vKill
                    }
                }
            }
        } catch (IOException e) {
            // the stub may close the connection before answering; the target is gone either way
        } finally {
            closeWith("killed the target");
        }
    }

    private byte[] awaitResponseQuietly() {
        long deadline = System.nanoTime() + 2_000_000_000L;
        synchronized (responseLock) {
            while (!responseReady && !closed && System.nanoTime() < deadline) {
                try {
                    responseLock.wait(50);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return null;
                }
            }
            byte[] r = responseReady ? response : null;
            responseReady = false;
            return r;
        }
    }

    @Override
    public void close() {
        closeWith("closed by the client");
    }

    private void closeWith(String reason) {
        boolean first;
        synchronized (this) {
            first = !closed;
            if (first) {
                closeReason = reason;
                closed = true;
            }
        }
        if (!first) {
            return;
        }
        try {
            socket.close();
        } catch (IOException e) {
            // closing anyway
        }
        synchronized (responseLock) {
            responseLock.notifyAll();
        }
        synchronized (stopLock) {
            stopLock.notifyAll();
        }
        for (Runnable r : closeListeners) {
            try {
                r.run();
            } catch (RuntimeException e) {
                // a listener's bug must not stop the others
            }
        }
    }

    // ---- the reader thread ------------------------------------------------------------------

    private final FrameDecoder.Sink sink = new FrameDecoder.Sink() {
        @Override
        public void packet(byte[] data, int length) {
            received(data, length);
        }

        @Override
        public void nack() {
            synchronized (writeLock) {
                wire.clear();
                if (acks.nacked(wire)) {
                    writeQuietly(wire.array(), wire.length());
                }
            }
        }

        @Override
        public void ack() {
            synchronized (writeLock) {
                acks.acked();
            }
        }

        @Override
        public void problem(FrameDecoder.Problem problem, String detail) {
            synchronized (writeLock) {
                if (acks.ackMode()) {
                    writeQuietly(new byte[] {'-'}, 1);
                }
            }
        }
    };

    private void writeQuietly(byte[] b, int n) {
        try {
            out.write(b, 0, n);
            out.flush();
        } catch (IOException e) {
            // the reader notices the broken connection
        }
    }

    private void readLoop() {
        byte[] buf = new byte[64 * 1024];
        String why = "the stub closed the connection";
        try {
            while (!closed) {
                int n = in.read(buf);
                if (n < 0) {
                    break;
                }
                decoder.feed(buf, 0, n, sink);
            }
        } catch (SocketException e) {
            why = closed ? closeReason : "connection lost: " + e.getMessage();
        } catch (IOException e) {
            why = "connection lost: " + e.getMessage();
        } catch (RuntimeException e) {
            why = "internal error reading from the stub: " + e;
        }
        closeWith(why);
    }

    private void received(byte[] data, int length) {
        synchronized (writeLock) {
            if (acks.ackMode()) {
                writeQuietly(new byte[] {'+'}, 1);
            }
        }
        int c = length > 0 ? data[0] : -1;
        if (c == 'O' && length > 1 && !(length == 2 && data[1] == 'K')) {
            String text = Hex.decodeText(new String(data, 1, length - 1, StandardCharsets.ISO_8859_1));
            if (text != null) {
                synchronized (responseLock) {
                    if (monitorOutput != null && !running) {
                        monitorOutput.append(text);
                        return;
                    }
                }
                if (running) {
                    for (Consumer<String> l : consoleListeners) {
                        l.accept(text);
                    }
                    return;
                }
            }
        }
        if (running && (c == 'T' || c == 'S' || c == 'W' || c == 'X')) {
            StopReply s = StopReply.parse(new String(data, 0, length, StandardCharsets.ISO_8859_1));
            if (s != null) {
                stopped(s);
                return;
            }
        }
        if (running && c == 'E' && !awaitingResponse) {
            synchronized (stopLock) {
                runError = new String(data, 0, length, StandardCharsets.ISO_8859_1);
                running = false;
                stopLock.notifyAll();
            }
            return;
        }
        synchronized (responseLock) {
            response = Arrays.copyOf(data, length);
            responseReady = true;
            responseLock.notifyAll();
        }
    }

    private void stopped(StopReply s) {
        synchronized (stopLock) {
            lastStop = s;
            stopCount++;
            running = false;
            stopLock.notifyAll();
        }
        for (Consumer<StopReply> l : stopListeners) {
            try {
                l.accept(s);
            } catch (RuntimeException e) {
                // a listener's bug must not kill the reader
            }
        }
    }
}
