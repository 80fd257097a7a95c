/**
 * A JSON text editor that shows problems where they are: the lines with a problem are marked in the
 * gutter and highlighted, with the message written at the end of the line. It is a plain textarea laid
 * over a backdrop that draws the highlights, so typing, undo and keyboard use stay the browser's own.
 */
import type { Ref } from "preact";
import { useState } from "preact/hooks";

export interface EditorIssue {
  path: string;
  message: string;
  /** Where the problem is: offsets into the text, and the 1-based line. */
  start: number;
  end: number;
  line: number;
}

/** Line height in px; styles.css uses the same for `.code-editor`. */
export const EDITOR_LINE_HEIGHT = 20;

export function JsonEditor({
  id,
  value,
  onInput,
  issues,
  textareaRef,
  describedBy,
  readOnly,
}: {
  id: string;
  value: string;
  onInput(value: string): void;
  issues: EditorIssue[];
  textareaRef?: Ref<HTMLTextAreaElement>;
  describedBy?: string;
  readOnly?: boolean;
}) {
  const [scroll, setScroll] = useState({ top: 0, left: 0 });
  const lines = value.split("\n");
  const byLine = new Map<number, EditorIssue[]>();
  for (const issue of issues) byLine.set(issue.line, [...(byLine.get(issue.line) ?? []), issue]);

  return (
    <div class="code-editor" style={{ "--lines": String(lines.length) }}>
      <div class="code-gutter" aria-hidden="true">
        <div style={{ transform: `translateY(${-scroll.top}px)` }}>
          {lines.map((_, index) => {
            const lineIssues = byLine.get(index + 1);
            return (
              <div key={index} class={lineIssues ? "gutter-line has-issue" : "gutter-line"} title={lineIssues?.map((i) => i.message).join("\n")}>
                {index + 1}
              </div>
            );
          })}
        </div>
      </div>
      <div class="code-area">
        <div class="code-backdrop" aria-hidden="true" style={{ transform: `translate(${-scroll.left}px, ${-scroll.top}px)` }}>
          {lines.map((text, index) => {
            const lineIssues = byLine.get(index + 1);
            return (
              <div key={index} class={lineIssues ? "code-line has-issue" : "code-line"}>
                <span class="code-text">{text || " "}</span>
                {lineIssues ? <span class="code-issue">{lineIssues.map((i) => i.message).join(" · ")}</span> : null}
              </div>
            );
          })}
        </div>
        <textarea
          id={id}
          ref={textareaRef}
          class="code-input"
          value={value}
          wrap="off"
          spellcheck={false}
          autocapitalize="off"
          autoComplete="off"
          readOnly={readOnly}
          aria-invalid={issues.length > 0 ? true : undefined}
          aria-describedby={describedBy}
          onInput={(event) => onInput(event.currentTarget.value)}
          onScroll={(event) => setScroll({ top: event.currentTarget.scrollTop, left: event.currentTarget.scrollLeft })}
          onKeyDown={(event) => {
            // Tab indents (two spaces) instead of leaving; Esc then Tab leaves, as in other code editors.
            if (event.key === "Tab" && !event.shiftKey && !event.altKey && !event.ctrlKey && !event.metaKey && !readOnly) {
              const area = event.currentTarget;
              if (area.dataset.escaped === "true") return;
              event.preventDefault();
              // insertText keeps the browser's undo history; the fallback does not.
              if (!document.execCommand("insertText", false, "  ")) {
                const { selectionStart, selectionEnd } = area;
                onInput(`${area.value.slice(0, selectionStart)}  ${area.value.slice(selectionEnd)}`);
                requestAnimationFrame(() => area.setSelectionRange(selectionStart + 2, selectionStart + 2));
              }
            }
            event.currentTarget.dataset.escaped = event.key === "Escape" ? "true" : "false";
          }}
        />
      </div>
    </div>
  );
}

/** Puts the caret on a problem and scrolls it into the middle of the editor. */
export function revealInEditor(area: HTMLTextAreaElement | null, issue: EditorIssue): void {
  if (!area) return;
  area.focus();
  area.setSelectionRange(issue.start, Math.max(issue.start, issue.end));
  area.scrollTop = Math.max(0, (issue.line - 1) * EDITOR_LINE_HEIGHT - area.clientHeight / 2);
}
