package io.aegis.gateway.llm;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;

/** Test helper: subscribes to a stream and gathers what it signals. */
final class Collect {

    private Collect() {
    }

    record Outcome(List<StreamEvent> events, Throwable error, boolean completed) {
        String text() {
            return Collect.text(events);
        }
    }

    static Outcome outcome(Flow.Publisher<StreamEvent> p) {
        List<StreamEvent> events = new ArrayList<>();
        Throwable[] error = new Throwable[1];
        boolean[] completed = new boolean[1];
        CountDownLatch done = new CountDownLatch(1);
        p.subscribe(new Flow.Subscriber<>() {
            @Override
            public void onSubscribe(Flow.Subscription s) {
                s.request(Long.MAX_VALUE);
            }

            @Override
            public void onNext(StreamEvent e) {
                synchronized (events) {
                    events.add(e);
                }
            }

            @Override
            public void onError(Throwable t) {
                error[0] = t;
                done.countDown();
            }

            @Override
            public void onComplete() {
                completed[0] = true;
                done.countDown();
            }
        });
        try {
            if (!done.await(20, TimeUnit.SECONDS)) {
                throw new AssertionError("stream did not end within 20s; got " + events);
            }
        } catch (InterruptedException e) {
            throw new AssertionError(e);
        }
        synchronized (events) {
            return new Outcome(List.copyOf(events), error[0], completed[0]);
        }
    }

    static List<StreamEvent> all(Flow.Publisher<StreamEvent> p) {
        Outcome o = outcome(p);
        if (o.error() != null) {
            throw new AssertionError("stream failed: " + o.error(), o.error());
        }
        return o.events();
    }

    static String text(List<StreamEvent> events) {
        StringBuilder b = new StringBuilder();
        for (StreamEvent e : events) {
            if (e instanceof StreamEvent.Delta d) {
                b.append(d.text());
            }
        }
        return b.toString();
    }

    static LlmResponse done(List<StreamEvent> events) {
        StreamEvent last = events.get(events.size() - 1);
        if (last instanceof StreamEvent.Done d) {
            return d.response();
        }
        throw new AssertionError("last event is not Done: " + last);
    }
}
