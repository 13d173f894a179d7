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

import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilderFactory;

import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/** Parses the {@code qXfer:threads:read} document. */
final class ThreadListParser {
    private ThreadListParser() {
    }

    static List<ThreadInfo> parse(String xml) throws IOException {
        Document d;
        try {
            DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
            f.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
            f.setFeature("http://apache.org/xml/features/nonvalidating/load-external-dtd", false);
            f.setFeature("http://xml.org/sax/features/external-general-entities", false);
            var b = f.newDocumentBuilder();
            b.setErrorHandler(null);
            d = b.parse(new ByteArrayInputStream(xml.getBytes(StandardCharsets.UTF_8)));
        } catch (Exception e) {
            throw new IOException("the stub's thread list is not well-formed XML: " + e.getMessage(), e);
        }
        List<ThreadInfo> out = new ArrayList<>();
        NodeList threads = d.getElementsByTagName("thread");
        for (int i = 0; i < threads.getLength(); i++) {
            Element t = (Element) threads.item(i);
            String id = t.getAttribute("id");
            if (id.startsWith("p")) {
                int dot = id.indexOf('.');
                id = dot >= 0 ? id.substring(dot + 1) : id;
            }
            int core = t.hasAttribute("core") ? (int) StopReply.parseHex(t.getAttribute("core")) : -1;
            out.add(new ThreadInfo(StopReply.parseHex(id), t.getAttribute("name"), core, t.getTextContent().trim()));
        }
        return out;
    }
}
