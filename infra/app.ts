/**
 * `npx cdk deploy -c repository=owner/name [-c dist=dist] [-c previewDomain=preview.news.example.org]
 *   [-c githubOidcProviderArn=arn:…] --parameters CertificateArn=arn:… --parameters DomainNames=news.example.org`
 *
 * Reads the security headers and redirects of a built site (`npm run build` first), so the
 * stack starts with the same rules `_headers` and `_redirects` give Netlify and Cloudflare Pages
 * (build with MASTHEAD_HOST=s3, whose `_headers` is in the dialect Netlify's parser reads).
 * See docs/publishing.md, "S3 and CloudFront from an empty AWS account".
 */
import { App } from 'aws-cdk-lib';
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { adminHeaders, siteHeaders } from './site-rules.ts';
import { parseRedirects } from './edge-function.ts';
import { MastheadSiteStack } from './stack.ts';

const app = new App();
const context = (key: string) => app.node.tryGetContext(key) as string | undefined;
const repository = context('repository');
if (!repository) throw new Error('set the GitHub repository: npx cdk deploy -c repository=owner/name');
const dist = resolve(context('dist') ?? 'dist');
if (!existsSync(join(dist, '_headers'))) throw new Error(`${dist}/_headers is missing: run \`npm run build\` first (or pass -c dist=DIR)`);

new MastheadSiteStack(app, context('stackName') ?? 'MastheadSite', {
  repository,
  securityHeaders: await siteHeaders(join(dist, '_headers')),
  adminHeaders: await adminHeaders(join(dist, '_headers')),
  redirects: parseRedirects(readFileSync(join(dist, '_redirects'), 'utf8')),
  previewDomain: context('previewDomain'),
  githubOidcProviderArn: context('githubOidcProviderArn'),
  description: 'Masthead: private S3 bucket, CloudFront with OAC, edge function, GitHub OIDC roles',
});
app.synth();
