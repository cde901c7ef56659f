// Feature module: full-text search over the learner's sessions, plans and actions.
import type { FeatureModule } from '../modules/feature-module';
import { SearchService } from './search-service';

declare module '../modules/feature-module' {
  interface ServiceMap {
    search: SearchService;
  }
}

export const searchModule: FeatureModule = {
  id: 'search',
  setup(ctx) {
    const search = new SearchService(ctx.db);
    ctx.provide('search', search);
    return { handlers: { 'search:query': (input) => search.query(input) } };
  },
};
