/**
 * The gallery on the "New pipeline" page: every sample pipeline with what it shows, to start at once
 * (samples are seeded by `npm start`) or to copy into the editor as a starting point under a new id.
 */
import type { TemplateDraft } from "../../../shared/api/templates.ts";
import { gallery } from "../../../shared/samples/gallery.ts";
import { baton } from "../lib/api.ts";
import { useResource } from "../lib/use-resource.ts";
import { Link } from "./link.tsx";

export function GalleryPicker({ onPick }: { onPick(template: TemplateDraft): void }) {
  const existing = useResource(async () => new Set((await baton.templates.list()).map((t) => t.id)), []);
  return (
    <section class="panel gallery" aria-labelledby="gallery-title">
      <h2 id="gallery-title" class="panel-title">
        Start from the gallery
      </h2>
      <p class="muted">
        Ready pipelines for common agent work. Steps on the <span class="mono">llm</span> agent use a real model once one is set, and a marked
        offline stand-in until then.
      </p>
      <ul class="gallery-grid">
        {gallery.map(({ template, shows, usesLlm }) => (
          <li key={template.id} class="card gallery-card">
            <h3 class="card-title">{template.name}</h3>
            <p class="small clamp">{template.description}</p>
            <p class="small">
              {[...shows, ...(usesLlm ? ["llm"] : [])].map((feature) => (
                <span key={feature} class="pill">
                  {feature}
                </span>
              ))}
            </p>
            <div class="card-actions">
              <button
                type="button"
                class="button button-small"
                aria-label={`Use ${template.name} as a starting point`}
                onClick={() => onPick({ ...template, id: `my-${template.id}`.slice(0, 64), name: `${template.name} (copy)` })}
              >
                Use as a starting point
              </button>
              {existing.data?.has(template.id) ? (
                <Link href={`/pipelines/${encodeURIComponent(template.id)}/start`} class="button button-small button-primary" aria-label={`Start ${template.name}`}>
                  Start
                </Link>
              ) : null}
            </div>
          </li>
        ))}
      </ul>
    </section>
  );
}
