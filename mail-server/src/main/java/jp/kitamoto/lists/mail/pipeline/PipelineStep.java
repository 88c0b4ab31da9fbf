package jp.kitamoto.lists.mail.pipeline;

/** One transformation of an accepted post. Steps never decide whether a post goes out; the rules did that. */
public interface PipelineStep {
    void apply(PostDraft draft);
}
