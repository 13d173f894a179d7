/*
 * Copyright (c) 2026 hvdbg contributors
 * SPDX-License-Identifier: EPL-2.0
 */
package io.hvdbg.rsp.client;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilder;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;

import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.xml.sax.SAXException;

import io.hvdbg.core.vcpu.RegisterDescriptor;
import io.hvdbg.rsp.tdesc.RegisterLayout;

/**
 * A target description as a client sees it: the architecture name and every register with
 * its gdb number, size, type, group and feature. Parsed from {@code target.xml} and what it
 * includes ({@code xi:include}, fetched through {@link Fetcher}), as gdb does, so it works for
 * QEMU's and other stubs' descriptions as well as hvdbg's.
 */
public final class TargetDescription {
    /** Fetches an annex of qXfer:features:read (target.xml, or a file it includes). */
    @FunctionalInterface
    public interface Fetcher {
        String fetch(String annex) throws IOException;
    }

    private static final int MAX_INCLUDE_DEPTH = 8;

    private final String architecture;
    private final List<RegisterDescriptor> registers;
    private final RegisterLayout layout;

    public TargetDescription(String architecture, List<RegisterDescriptor> registers) {
        this.architecture = architecture;
        this.registers = List.copyOf(registers);
        this.layout = RegisterLayout.of(this.registers);
    }

    /** BFD architecture name, e.g. {@code i386:x86-64}, {@code riscv:rv64}; empty if not given. */
    public String architecture() {
        return architecture;
    }

    /** Registers in description order. */
    public List<RegisterDescriptor> registers() {
        return registers;
    }

    /** Where registers sit in a g reply. */
    public RegisterLayout layout() {
        return layout;
    }

    public RegisterDescriptor register(String name) {
        for (RegisterDescriptor r : registers) {
            if (r.name().equals(name)) {
                return r;
            }
        }
        return null;
    }

    public RegisterDescriptor register(int regnum) {
        for (RegisterDescriptor r : registers) {
            if (r.regnum() == regnum) {
                return r;
            }
        }
        return null;
    }

    /** The register gdb treats as the program counter (rip, pc, eip), or null. */
    public RegisterDescriptor programCounter() {
        for (String n : new String[] {"rip", "pc", "eip"}) {
            RegisterDescriptor r = register(n);
            if (r != null) {
                return r;
            }
        }
        return null;
    }

    /** Parses target.xml and its includes. */
    public static TargetDescription parse(Fetcher fetcher) throws IOException {
        Parser p = new Parser(fetcher);
        p.document("target.xml", 0);
        return new TargetDescription(p.architecture, p.registers);
    }

    /** Parses a self-contained description. */
    public static TargetDescription parse(String xml) throws IOException {
        return parse(annex -> {
            if (annex.equals("target.xml")) {
                return xml;
            }
            throw new IOException("the description includes " + annex + ", which is not available");
        });
    }

    private static final class Parser {
        private final Fetcher fetcher;
        private final DocumentBuilder builder;
        String architecture = "";
        final List<RegisterDescriptor> registers = new ArrayList<>();
        int nextRegnum;

        Parser(Fetcher fetcher) throws IOException {
            this.fetcher = fetcher;
            try {
                DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
                f.setNamespaceAware(false); // gdb's files use xi: without declaring the namespace
                f.setValidating(false);
                f.setExpandEntityReferences(false);
                f.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
                f.setFeature("http://apache.org/xml/features/nonvalidating/load-external-dtd", false);
                f.setFeature("http://xml.org/sax/features/external-general-entities", false);
                f.setFeature("http://xml.org/sax/features/external-parameter-entities", false);
                builder = f.newDocumentBuilder();
                builder.setErrorHandler(null);
            } catch (ParserConfigurationException e) {
                throw new IOException("no XML parser: " + e.getMessage(), e);
            }
        }

        void document(String annex, int depth) throws IOException {
            if (depth > MAX_INCLUDE_DEPTH) {
                throw new IOException("target description includes nest deeper than " + MAX_INCLUDE_DEPTH);
            }
            String xml = fetcher.fetch(annex);
            Document d;
            try {
                d = builder.parse(new ByteArrayInputStream(xml.getBytes(StandardCharsets.UTF_8)));
            } catch (SAXException e) {
                throw new IOException("target description " + annex + " is not well-formed XML: " + e.getMessage(), e);
            }
            element(d.getDocumentElement(), null, depth);
        }

        void element(Element e, String feature, int depth) throws IOException {
            switch (e.getTagName()) {
                case "architecture" -> architecture = e.getTextContent().trim();
                case "feature" -> children(e, e.getAttribute("name"), depth);
                case "xi:include", "include" -> document(e.getAttribute("href"), depth + 1);
                case "reg" -> register(e, feature);
                default -> children(e, feature, depth);
            }
        }

        void children(Element e, String feature, int depth) throws IOException {
            for (Node n = e.getFirstChild(); n != null; n = n.getNextSibling()) {
                if (n instanceof Element c) {
                    element(c, feature, depth);
                }
            }
        }

        void register(Element e, String feature) throws IOException {
            String name = e.getAttribute("name");
            int bits;
            try {
                bits = Integer.parseInt(e.getAttribute("bitsize").trim());
                if (e.hasAttribute("regnum")) {
                    nextRegnum = Integer.parseInt(e.getAttribute("regnum").trim());
                }
            } catch (NumberFormatException ex) {
                throw new IOException("register " + name + " in the target description has a bad bitsize or regnum");
            }
            String type = e.hasAttribute("type") ? e.getAttribute("type") : "int";
            String group = e.hasAttribute("group") ? e.getAttribute("group") : defaultGroup(type);
            registers.add(new RegisterDescriptor(name, nextRegnum++, bits, type, group, feature == null ? "" : feature));
        }

        static String defaultGroup(String type) {
            String t = type.toLowerCase(Locale.ROOT);
            if (t.contains("ieee") || t.equals("i387_ext") || t.equals("float") || t.contains("double")) {
                return "float";
            }
            if (t.startsWith("vec") || t.startsWith("v") && t.matches("v\\d+.*")) {
                return "vector";
            }
            return "general";
        }
    }
}
