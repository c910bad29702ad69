import { type Rule, SchematicsException } from '@angular-devkit/schematics';
import { updateWorkspace } from '@schematics/angular/utility';

/** The build asset that serves the package's silent-callback page at `/silent-callback.html`. */
export const SILENT_CALLBACK_ASSET = {
  glob: 'silent-callback.html',
  input: 'node_modules/ngx-implicit-auth/silent-callback',
  output: '/',
} as const;

/** Adds {@link SILENT_CALLBACK_ASSET} to the project's build target, unless an asset with that input is there. */
export function addSilentCallbackAsset(projectName: string): Rule {
  return updateWorkspace((workspace) => {
    const build = workspace.projects.get(projectName)?.targets.get('build');
    if (!build) throw new SchematicsException(`Project "${projectName}" has no build target to add the page to.`);
    const options = (build.options ??= {});
    const assets = (options['assets'] ??= []);
    if (!Array.isArray(assets)) {
      throw new SchematicsException(`The build target of "${projectName}" has "assets" that are not a list.`);
    }
    const present = assets.some(
      (asset) =>
        asset !== null &&
        typeof asset === 'object' &&
        !Array.isArray(asset) &&
        asset['input'] === SILENT_CALLBACK_ASSET.input,
    );
    if (!present) assets.push({ ...SILENT_CALLBACK_ASSET });
  });
}
