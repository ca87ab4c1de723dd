interface ImportMetaEnv {
  /** True only under `astro dev` (defined by the content gate from Astro's command, never
   * from NODE_ENV): drafts and scheduled stories are previewed there, and never built. */
  readonly MASTHEAD_PREVIEW: boolean;
  /** Absolute path of src/social-cards/worker.ts, which Node runs as is (defined by the socialCards integration). */
  readonly MASTHEAD_CARD_WORKER: string;
}
